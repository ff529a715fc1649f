package io.vigil.broker;

import jakarta.jms.ConnectionFactory;
import java.time.Duration;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The direct store, the group commit and the Camel component {@code store:} routes send through. */
@Configuration(proxyBeanMethods = false)
class StoreConfig {

    /**
     * How long a store outside a transaction waits for the journal to confirm its message on disk before it fails.
     * The MLLP listener does not wait on a thread: its ACK goes out when the journal confirms, and a sender that
     * waits longer than it likes sends again, as it would without an answer.
     */
    static final Duration STORE_TIMEOUT = Duration.ofSeconds(30);

    @Bean
    DirectStore directStore(ObjectProvider<EmbeddedActiveMQ> broker) {
        EmbeddedActiveMQ embedded = broker.getIfAvailable();
        return new DirectStore(embedded == null ? null : embedded.getActiveMQServer(), STORE_TIMEOUT);
    }

    @Bean(destroyMethod = "close")
    GroupCommit groupCommit(ConnectionFactory connectionFactory,
                            @Value("${vigil.artemis.group-commit-writers:2}") int writers) {
        return new GroupCommit(StoreComponent.unwrap(connectionFactory), writers);
    }

    @Bean("store")
    StoreComponent store(DirectStore directStore, GroupCommit groupCommit) {
        return new StoreComponent(directStore, groupCommit);
    }
}
