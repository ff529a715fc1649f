package io.vigil.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.support.InVmBroker;
import jakarta.jms.BytesMessage;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jms.connection.CachingConnectionFactory;

/**
 * Routes sending with store: as the appliance's routes do: from a thread with no JMS transaction (the MLLP
 * listener's) the message goes straight into the broker once its queue exists, and through the group commit before,
 * either way as the message jms: would send (body, headers, JMS message id, persistent); inside a route that
 * took its message from a queue, the send joins that route's transaction, so a rolled-back attempt leaves nothing.
 */
class StoreComponentTest {

    private EmbeddedActiveMQ broker;
    private ActiveMQConnectionFactory artemis;
    private GroupCommit groupCommit;
    private DirectStore directStore;
    private DefaultCamelContext camel;

    @BeforeEach
    void start() throws Exception {
        broker = InVmBroker.start(10, null);
        artemis = new ActiveMQConnectionFactory("vm://10");
        CachingConnectionFactory caching = new CachingConnectionFactory(artemis);
        groupCommit = new GroupCommit(StoreComponent.unwrap(caching), 2);
        camel = new DefaultCamelContext();
        JmsComponent jms = JmsComponent.jmsComponentTransacted(caching);
        camel.addComponent("jms", jms);
        directStore = new DirectStore(broker.getActiveMQServer(), Duration.ofSeconds(30));
        camel.addComponent("store", new StoreComponent(directStore, groupCommit));
    }

    /** Route direct:mllp storing on the EHR's delivery queue, as route ingest-hl7 does on the listener's thread. */
    private ProducerTemplate startRouteToDeliveryQueue() throws Exception {
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:mllp").to("store:queue:vigil.delivery.ehr");
            }
        });
        camel.start();
        return camel.createProducerTemplate();
    }

    @AfterEach
    void stop() throws Exception {
        camel.stop();
        groupCommit.close();
        artemis.close();
        broker.stop();
    }

    @Test
    void shouldStoreStraightIntoTheBrokerOnceTheQueueExistsAsTheGroupCommitDoesBefore() throws Exception {
        ProducerTemplate producer = startRouteToDeliveryQueue();

        // the first creates the queue through the JMS client; the second finds it and goes straight in
        producer.requestBodyAndHeader("direct:mllp", "{\"n\":1}", "VigilMessageControlId", "MSG-1");
        producer.requestBodyAndHeader("direct:mllp", "{\"n\":2}", "VigilMessageControlId", "MSG-2");

        assertThat(groupCommit.messages()).isEqualTo(1);
        assertThat(directStore.stored()).isEqualTo(1);
        assertThat(directStore.passed()).isEqualTo(1);
        List<Message> stored = drain("vigil.delivery.ehr");
        assertThat(stored).hasSize(2);
        for (int i = 0; i < 2; i++) {
            Message m = stored.get(i);
            assertThat(((TextMessage) m).getText()).isEqualTo("{\"n\":" + (i + 1) + "}");
            assertThat(m.getStringProperty("VigilMessageControlId")).isEqualTo("MSG-" + (i + 1));
            assertThat(m.getJMSMessageID()).startsWith("ID:");
            assertThat(m.getJMSDeliveryMode()).isEqualTo(DeliveryMode.PERSISTENT);
            assertThat(m.getJMSPriority()).isEqualTo(4);
            assertThat(m.getJMSDestination().toString()).isEqualTo(stored.get(0).getJMSDestination().toString());
        }
        assertThat(stored.get(0).getJMSMessageID()).isNotEqualTo(stored.get(1).getJMSMessageID());
    }

    @Test
    void shouldLeaveTheWaitForTheDiskToAConsumerThatAwaitsItAndTellItInOrder() throws Exception {
        ProducerTemplate producer = startRouteToDeliveryQueue();
        producer.sendBody("direct:mllp", "{\"n\":0}"); // creates the queue through the JMS client

        List<Integer> told = Collections.synchronizedList(new ArrayList<>());
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch all = new CountDownLatch(200);
        for (int i = 1; i <= 200; i++) {
            int n = i;
            producer.send("direct:mllp", exchange -> {
                exchange.getIn().setBody("{\"n\":" + n + "}");
                exchange.setProperty(StoreComponent.DISK_AWAITED_BY_CONSUMER, true);
            });
            directStore.afterStored(() -> {
                told.add(n);
                all.countDown();
            }, failures::add);
        }

        assertThat(all.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(failures).isEmpty();
        assertThat(told).containsExactlyElementsOf(IntStream.rangeClosed(1, 200).boxed().toList());
        assertThat(directStore.stored()).isEqualTo(200);
        assertThat(drain("vigil.delivery.ehr")).hasSize(201);
    }

    @Test
    void shouldTellAtOnceWhenTheBrokerIsNotEmbedded() {
        AtomicInteger told = new AtomicInteger();

        new DirectStore(null, Duration.ofSeconds(1)).afterStored(told::incrementAndGet, failure -> { });

        assertThat(told.get()).isEqualTo(1);
    }

    @Test
    void shouldStoreThroughTheGroupCommitWithTheHeadersOfJms() throws Exception {
        ProducerTemplate producer = startRouteToDeliveryQueue();

        // an MLLP exchange is InOut: store: sends one way all the same, and the caller's pattern is kept
        Object reply = producer.requestBodyAndHeader("direct:mllp", "{\"resourceType\":\"Bundle\"}",
                "VigilMessageControlId", "MSG-1");

        assertThat(reply).isEqualTo("{\"resourceType\":\"Bundle\"}");
        assertThat(groupCommit.messages()).isEqualTo(1);
        List<Message> stored = drain("vigil.delivery.ehr");
        assertThat(stored).hasSize(1);
        assertThat(((TextMessage) stored.get(0)).getText()).isEqualTo("{\"resourceType\":\"Bundle\"}");
        assertThat(stored.get(0).getStringProperty("VigilMessageControlId")).isEqualTo("MSG-1");
    }

    @Test
    void shouldStoreABundleOfUtf8BytesAsABytesMessage() throws Exception {
        ProducerTemplate producer = startRouteToDeliveryQueue();
        byte[] bundle = "{\"resourceType\":\"Bundle\",\"note\":\"37,5 °C\"}".getBytes(StandardCharsets.UTF_8);

        producer.sendBodyAndHeader("direct:mllp", bundle, "VigilMessageControlId", "MSG-1");

        List<Message> stored = drain("vigil.delivery.ehr");
        assertThat(stored).hasSize(1);
        assertThat(stored.get(0)).isInstanceOf(BytesMessage.class);
        assertThat(stored.get(0).getBody(byte[].class)).isEqualTo(bundle);
        assertThat(stored.get(0).getStringProperty("VigilMessageControlId")).isEqualTo("MSG-1");
    }

    @Test
    void shouldJoinTheTransactionOfTheRouteThatTookTheMessage() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        CountDownLatch finished = new CountDownLatch(1);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("jms:queue:vigil.observations")
                        .to("store:queue:vigil.delivery.ehr")
                        .process(e -> {
                            if (attempts.incrementAndGet() == 1) {
                                throw new IllegalStateException("first attempt fails after the send");
                            }
                            finished.countDown();
                        });
            }
        });
        camel.start();

        camel.createProducerTemplate().sendBody("jms:queue:vigil.observations", "observations");

        assertThat(finished.await(30, TimeUnit.SECONDS)).isTrue();
        // the first attempt's send was rolled back with it: one copy, and none through the group commit
        List<Message> stored = drain("vigil.delivery.ehr");
        assertThat(stored).hasSize(1);
        assertThat(attempts.get()).isEqualTo(2);
        assertThat(groupCommit.messages()).isZero();
    }

    @Test
    void shouldRefuseAnEndpointThatNamesNoQueueOrTopic() {
        assertThatThrownBy(() -> camel.getEndpoint("store:vigil.delivery.ehr"))
                .hasRootCauseMessage("store: needs queue:NAME or topic:NAME, not 'vigil.delivery.ehr' in store://vigil.delivery.ehr");
    }

    private List<Message> drain(String queue) throws Exception {
        return InVmBroker.drain(artemis, queue);
    }
}
