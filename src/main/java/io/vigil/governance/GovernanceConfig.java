package io.vigil.governance;

import ca.uhn.fhir.context.FhirContext;
import io.vigil.config.VigilProperties;
import io.vigil.fhir.FhirBundleBuilder;
import io.vigil.fhir.FhirProcessing;
import io.vigil.rules.ClinicalEvaluator;
import io.vigil.rules.ClinicalParameters;
import io.vigil.rules.RuleEngine;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Device registry, audit trail, governance evaluation and the processing step that uses them. */
@Configuration(proxyBeanMethods = false)
class GovernanceConfig {

    @Bean
    DeviceRegistry deviceRegistry(VigilProperties properties) {
        List<String> approved = properties.governance().devices().approved();
        return new DeviceRegistry(properties.dataDir().resolve("devices.json"), approved == null ? List.of() : approved);
    }

    @Bean
    AuditTrail auditTrail(VigilProperties properties, FhirContext fhir) {
        return new AuditTrail(properties.dataDir().resolve("audit"), fhir);
    }

    @Bean
    GovernanceEvaluator governanceEvaluator(RuleEngine engine, ClinicalParameters parameters, DeviceRegistry registry,
                                            VigilProperties properties) {
        return new GovernanceEvaluator(engine, parameters, registry, properties.governance().devices().enforce());
    }

    @Bean("fhirProcessing")
    FhirProcessing fhirProcessing(FhirBundleBuilder builder, GovernanceEvaluator governance, ClinicalEvaluator clinical,
                                  RuleEngine engine, AuditTrail audit, VigilProperties properties,
                                  io.vigil.console.Latencies latencies) {
        boolean production = properties.ehr().configured() && properties.ehr().production();
        SafeHarbor research = properties.research().configured() ? new SafeHarbor(properties.dataDir()) : null;
        FhirProcessing processing = new FhirProcessing(builder, governance, clinical, engine, audit, production, research,
                properties.research().purposeOfUse());
        processing.measureLatency(latencies);
        return processing;
    }
}
