package io.vigil.config;

import ca.uhn.fhir.context.FhirContext;
import io.vigil.fhir.FhirBundleBuilder;
import io.vigil.hl7.Hl7Codec;
import io.vigil.hl7.PatientIdentifierSystems;
import io.vigil.hl7.Pcd01Extractor;
import io.vigil.hl7.VendorCodes;
import io.vigil.mapping.VendorMappings;
import io.vigil.ingest.DeviceJsonReader;
import io.vigil.normalize.Terminology;
import java.nio.charset.Charset;
import java.time.ZoneId;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The one-per-appliance objects of the pipeline: HAPI contexts and the maps, built once at start. */
@Configuration(proxyBeanMethods = false)
class PipelineConfig {

    private static final Logger LOG = LoggerFactory.getLogger(PipelineConfig.class);

    @Bean
    Terminology terminology(VigilProperties properties) {
        Terminology terminology = Terminology.load(properties.mappingsDir());
        LOG.info("Loaded {} MDC code mappings from {}", terminology.codeCount(), properties.mappingsDir().toAbsolutePath());
        return terminology;
    }

    @Bean
    FhirContext fhirContext() {
        return FhirContext.forR4();
    }

    @Bean
    Hl7Codec hl7Codec(VigilProperties properties) {
        return new Hl7Codec(Charset.forName(properties.hl7().defaultCharset()));
    }

    @Bean
    Pcd01Extractor pcd01Extractor(Terminology terminology, VigilProperties properties, VendorMappings vendorMappings) {
        Map<String, String> systems = properties.hl7().identifierSystems();
        Map<String, String> codeMaps = properties.hl7().codeMaps();
        return new Pcd01Extractor(terminology, ZoneId.of(properties.hl7().deviceZone()),
                new PatientIdentifierSystems(systems == null ? Map.of() : systems),
                new VendorCodes(codeMaps == null ? Map.of() : codeMaps, () -> vendorMappings.snapshot().codeMaps()));
    }

    @Bean
    DeviceJsonReader deviceJsonReader(Terminology terminology) {
        return new DeviceJsonReader(terminology);
    }

    @Bean
    FhirBundleBuilder fhirBundleBuilder(FhirContext fhirContext, Terminology terminology) {
        return new FhirBundleBuilder(fhirContext, terminology);
    }
}
