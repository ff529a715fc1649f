package io.vigil.ingest;

import org.apache.camel.CamelContext;
import org.apache.camel.component.mllp.MllpComponent;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.stereotype.Component;

/** camel-mllp logs message content by default (logPhi): switched off before any MLLP endpoint exists. */
@Component
class MllpPrivacy implements CamelContextConfiguration {

    @Override
    public void beforeApplicationStart(CamelContext camelContext) {
        camelContext.getComponent("mllp", MllpComponent.class).setLogPhi(false);
    }

    @Override
    public void afterApplicationStart(CamelContext camelContext) {
        // nothing to do once started
    }
}
