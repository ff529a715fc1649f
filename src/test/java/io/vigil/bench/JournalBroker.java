package io.vigil.bench;

import java.nio.file.Path;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;

/** An embedded Artemis for benchmarks with its journal on this machine's disk, reached at vm://0. */
final class JournalBroker {

    private JournalBroker() {
    }

    /**
     * @param bufferTimeoutNs the journal buffer timeout, or a negative number for Artemis's default
     * @param everyAddress    settings for every address, or null
     */
    static EmbeddedActiveMQ start(Path journal, long bufferTimeoutNs, AddressSettings everyAddress) throws Exception {
        // as in the appliance (config/application.yaml): no per-message audit log lines from the broker
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.apache.activemq"))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        ConfigurationImpl config = new ConfigurationImpl();
        config.setPersistenceEnabled(true);
        if (bufferTimeoutNs >= 0) {
            config.setJournalBufferTimeout_NIO((int) bufferTimeoutNs);
            config.setJournalBufferTimeout_AIO((int) bufferTimeoutNs);
        }
        config.setSecurityEnabled(false);
        config.setJournalDirectory(journal.resolve("journal").toString());
        config.setBindingsDirectory(journal.resolve("bindings").toString());
        config.setLargeMessagesDirectory(journal.resolve("large").toString());
        config.setPagingDirectory(journal.resolve("paging").toString());
        if (everyAddress != null) {
            config.addAddressSetting("#", everyAddress);
        }
        config.addAcceptorConfiguration("in-vm", "vm://0");
        EmbeddedActiveMQ broker = new EmbeddedActiveMQ().setConfiguration(config);
        broker.start();
        return broker;
    }
}
