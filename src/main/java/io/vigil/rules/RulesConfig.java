package io.vigil.rules;

import io.vigil.config.VigilProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The rule engine and the clinical evaluator, built once from rules/ and mappings/. */
@Configuration(proxyBeanMethods = false)
class RulesConfig {

    @Bean
    RuleEngine ruleEngine(VigilProperties properties) throws RuleSetRejectedException {
        return new RuleEngine(properties.rules().dir());
    }

    @Bean
    ClinicalParameters clinicalParameters(VigilProperties properties) {
        return ClinicalParameters.load(properties.mappingsDir());
    }

    @Bean
    PatientContexts patientContexts() {
        return new PatientContexts();
    }

    @Bean
    ClinicalEvaluator clinicalEvaluator(RuleEngine engine, ClinicalParameters parameters, PatientContexts contexts,
                                        VigilProperties properties) {
        VigilProperties.Rules r = properties.rules();
        ClinicalSettings settings = new ClinicalSettings(r.freshness(), r.trendWindow(), r.quietInterval(),
                News2Band.fromCode(r.singleParameterBand()), r.defaultSpo2Scale(), r.maxPatients(), r.idle());
        return new ClinicalEvaluator(engine, parameters, settings, contexts);
    }
}
