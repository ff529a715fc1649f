package io.vigil.broker;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;
import org.springframework.jms.connection.CachingConnectionFactory;
import org.springframework.mock.env.MockEnvironment;

/** The appliance's JMS client: destinations looked up once per session, a cached session for every sender. */
class ClientSettingsTest {

    @Test
    void shouldCacheDestinationsAndASessionPerConcurrentSender() {
        ActiveMQConnectionFactory artemis = new ActiveMQConnectionFactory("vm://0");
        CachingConnectionFactory caching = new CachingConnectionFactory(artemis);
        caching.setSessionCacheSize(20);

        new ClientSettings(new MockEnvironment()).postProcessAfterInitialization(caching, "jmsConnectionFactory");

        assertThat(artemis.isCacheDestinations()).isTrue();
        assertThat(caching.getSessionCacheSize()).isEqualTo(50 + 2 * 8 + ClientSettings.OTHER_SENDERS);
    }

    @Test
    void shouldFollowTheConfiguredConnectionsAndConsumers() {
        CachingConnectionFactory caching = new CachingConnectionFactory(new ActiveMQConnectionFactory("vm://0"));
        MockEnvironment environment = new MockEnvironment()
                .withProperty("vigil.mllp.max-connections", "200")
                .withProperty("vigil.processing.consumers", "4");

        new ClientSettings(environment).postProcessAfterInitialization(caching, "jmsConnectionFactory");

        assertThat(caching.getSessionCacheSize()).isEqualTo(200 + 2 * 4 + ClientSettings.OTHER_SENDERS);
    }

    @Test
    void shouldKeepALargerConfiguredCache() {
        CachingConnectionFactory caching = new CachingConnectionFactory(new ActiveMQConnectionFactory("vm://0"));
        caching.setSessionCacheSize(500);

        new ClientSettings(new MockEnvironment()).postProcessAfterInitialization(caching, "jmsConnectionFactory");

        assertThat(caching.getSessionCacheSize()).isEqualTo(500);
    }
}
