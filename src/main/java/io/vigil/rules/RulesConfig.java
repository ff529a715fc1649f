package io.vigil.rules;

import io.vigil.config.VigilProperties;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The rule engine and the clinical evaluator, built once from rules/ and mappings/. */
@Configuration(proxyBeanMethods = false)
class RulesConfig {

    /** Compiled while the rest of the appliance starts; the start fails if the set does not build. */
    @Bean
    RuleEngine ruleEngine(VigilProperties properties) {
        return RuleEngine.buildInBackground(properties.rules().dir());
    }

    @Bean
    SmartInitializingSingleton firstRuleSetBuilt(RuleEngine engine) {
        return () -> {
            try {
                engine.awaitFirstSet();
            } catch (RuleSetRejectedException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        };
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
