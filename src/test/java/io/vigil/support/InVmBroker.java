package io.vigil.support;

import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;

/** An embedded Artemis for unit tests: in memory, no security, reached at vm://{id}. */
public final class InVmBroker {

    private InVmBroker() {
    }

    /** Starts it; {@code everyAddress} (or null) applies to every address. */
    public static EmbeddedActiveMQ start(int id, AddressSettings everyAddress) throws Exception {
        ConfigurationImpl configuration = new ConfigurationImpl();
        configuration.setPersistenceEnabled(false);
        configuration.setSecurityEnabled(false);
        configuration.addAcceptorConfiguration("in-vm", "vm://" + id);
        if (everyAddress != null) {
            configuration.addAddressSetting("#", everyAddress);
        }
        EmbeddedActiveMQ broker = new EmbeddedActiveMQ().setConfiguration(configuration);
        broker.start();
        return broker;
    }
}
