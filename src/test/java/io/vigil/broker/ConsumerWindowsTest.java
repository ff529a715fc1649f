package io.vigil.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.config.VigilProperties;
import io.vigil.support.FreePorts;
import jakarta.jms.Connection;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.time.Duration;
import java.util.Map;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The broker as BrokerAcceptors configures it, read by a JMS client with the appliance's defaults: processing
 * consumers hold messages ahead (vigil.artemis.processing-prefetch-bytes); a consumer of any other queue holds none,
 * so what it has not taken stays on the queue, where a delivery batch or the operator's console sees it. The broker's
 * thread pool and the in-VM clients' pool get the size vigil.artemis.thread-pool-max-size gives, or two per core.
 */
class ConsumerWindowsTest {

    private static final String OBSERVATIONS = "vigil.observations";
    private static final String DELIVERY = "vigil.delivery.ehr";
    private static final String QUARANTINE = "vigil.quarantine";

    private EmbeddedActiveMQ broker;
    private Connection connection;

    @BeforeEach
    void start() throws Exception {
        VigilProperties properties = new VigilProperties(null, null, null,
                new VigilProperties.Mqtt("127.0.0.1", FreePorts.next()),
                new VigilProperties.Artemis("127.0.0.1", FreePorts.next(), Duration.ofNanos(500_000), 16_777_216L, null,
                        null),
                null, null, null, null, null, Map.of("observations", OBSERVATIONS, "delivery", DELIVERY,
                "research", "vigil.delivery.research"), null, null, null, null,
                new VigilProperties.Kafka(false, null, null), null, null, null);
        ConfigurationImpl configuration = new ConfigurationImpl();
        configuration.setPersistenceEnabled(false);
        configuration.setSecurityEnabled(false);
        configuration.addAcceptorConfiguration("in-vm", "vm://7");
        new BrokerAcceptors(properties).customize(configuration);
        broker = new EmbeddedActiveMQ().setConfiguration(configuration);
        broker.start();
        connection = new ActiveMQConnectionFactory("vm://7").createConnection();
        connection.start();
    }

    @AfterEach
    void stop() throws Exception {
        connection.close();
        broker.stop();
        ActiveMQClient.initializeGlobalThreadPoolProperties();
    }

    @Test
    void shouldLetOnlyProcessingConsumersHoldMessagesAhead() throws Exception {
        Session session = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
        String[] queues = {OBSERVATIONS, DELIVERY, QUARANTINE};
        for (String queue : queues) {
            MessageProducer producer = session.createProducer(session.createQueue(queue));
            for (int i = 0; i < 20; i++) {
                producer.send(session.createTextMessage("{\"n\":" + i + "}"));
            }
        }

        for (String queue : queues) {
            assertThat(session.createConsumer(session.createQueue(queue)).receive(5000)).as(queue).isNotNull();
        }

        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (queue(OBSERVATIONS).getDeliveringCount() < 20 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        // 20 small messages fit in the window; by the time they are all out, a window on the other queues would have
        // drawn their messages too
        assertThat(queue(OBSERVATIONS).getDeliveringCount()).as("processing: the one taken and those held").isEqualTo(20);
        assertThat(queue(DELIVERY).getDeliveringCount()).as("delivery: only the one taken").isEqualTo(1);
        assertThat(queue(QUARANTINE).getDeliveringCount()).as("quarantine: only the one taken").isEqualTo(1);
    }

    @Test
    void shouldSizeTheBrokerAndInVmClientPoolsByCoresUnlessConfigured() {
        int expected = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
        assertThat(broker.getActiveMQServer().getConfiguration().getThreadPoolMaxSize()).isEqualTo(expected);
        assertThat(ActiveMQClient.getGlobalThreadPoolSize()).isEqualTo(expected);

        assertThat(BrokerAcceptors.threadPoolMaxSize(null, 1)).isEqualTo(4);
        assertThat(BrokerAcceptors.threadPoolMaxSize(null, 8)).isEqualTo(16);
        assertThat(BrokerAcceptors.threadPoolMaxSize(6, 8)).isEqualTo(6);
        assertThatThrownBy(() -> BrokerAcceptors.threadPoolMaxSize(1, 8))
                .hasMessageContaining("vigil.artemis.thread-pool-max-size must be at least 2");
    }

    private Queue queue(String name) {
        return broker.getActiveMQServer().locateQueue(SimpleString.of(name));
    }
}
