package io.vigil.broker;

import jakarta.jms.ConnectionFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The group commit and the Camel component {@code store:} routes send through. */
@Configuration(proxyBeanMethods = false)
class StoreConfig {

    @Bean(destroyMethod = "close")
    GroupCommit groupCommit(ConnectionFactory connectionFactory,
                            @Value("${vigil.artemis.group-commit-writers:2}") int writers) {
        return new GroupCommit(StoreComponent.unwrap(connectionFactory), writers);
    }

    @Bean("store")
    StoreComponent store(GroupCommit groupCommit) {
        return new StoreComponent(groupCommit);
    }
}
