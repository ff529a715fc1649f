package io.vigil.mllp;

import io.vigil.broker.DirectStore;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Camel component {@code vigil-mllp:}, which route ingest-hl7 listens with. */
@Configuration(proxyBeanMethods = false)
class MllpConfig {

    @Bean("vigil-mllp")
    MllpListenerComponent mllpListener(DirectStore store) {
        return new MllpListenerComponent(store);
    }
}
