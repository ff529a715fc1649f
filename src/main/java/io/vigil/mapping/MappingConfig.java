package io.vigil.mapping;

import io.vigil.config.FolderReloader;
import io.vigil.config.VigilProperties;
import io.vigil.fhir.FhirBundleBuilder;
import io.vigil.normalize.Terminology;
import io.vigil.normalize.Units;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The vendor mappings of mappings/vendors, reloaded when an analyst saves a mapping or a vendor code map. */
@Configuration(proxyBeanMethods = false)
class MappingConfig {

    @Bean
    Units units(VigilProperties properties, Terminology terminology) {
        return Units.load(properties.mappingsDir(), terminology);
    }

    @Bean
    VendorMappings vendorMappings(VigilProperties properties, Terminology terminology, Units units) {
        return new VendorMappings(properties.mappingsDir(), terminology, units, properties.vendors().patientSystem(),
                properties.vendors().futureTolerance());
    }

    @Bean
    MappingTester mappingTester(FhirBundleBuilder bundles) {
        return new MappingTester(bundles);
    }

    @Bean
    FolderReloader mappingReloader(VendorMappings mappings, VigilProperties properties) {
        return new FolderReloader(List.of(mappings.folder().resolve("vendors"), mappings.folder().resolve("codes")),
                "vigil-mappings-watch", properties.vendors().reloadDelay(), mappings::reload,
                "reload with POST /api/mappings/reload");
    }
}
