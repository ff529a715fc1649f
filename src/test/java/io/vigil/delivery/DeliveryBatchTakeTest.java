package io.vigil.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.support.InVmBroker;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A delivery batch taken on an Artemis session, with the queue's consumers at window 0 as in the appliance: the
 * batch's own consumer draws ahead, takes what the batch holds room for, and what it drew beyond that is back on
 * the queue, in order, for the next batch; a rolled-back batch leaves every bundle on the queue.
 */
class DeliveryBatchTakeTest {

    private static final String QUEUE = "vigil.delivery.ehr";

    private EmbeddedActiveMQ broker;
    private Connection connection;

    @BeforeEach
    void start() throws Exception {
        broker = InVmBroker.start(8, new AddressSettings().setDefaultConsumerWindowSize(0));
        connection = new ActiveMQConnectionFactory("vm://8").createConnection();
        connection.start();
        Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageProducer producer = session.createProducer(session.createQueue(QUEUE));
        for (int i = 1; i <= 30; i++) {
            // as processing stores bundles (UTF-8 bytes), every other one as text (edited, or stored by an earlier version)
            Message message = i % 2 == 0 ? bytes(session, "{\"bundle\":" + i + "}")
                    : session.createTextMessage("{\"bundle\":" + i + "}");
            message.setStringProperty("VigilMessageControlId", "m" + i);
            producer.send(message);
        }
        session.close();
    }

    @AfterEach
    void stop() throws Exception {
        connection.close();
        broker.stop();
    }

    @Test
    void shouldTakeWhatFitsAndLeaveTheRestInOrder() throws Exception {
        Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
        DeliveryBatch.Member first = new DeliveryBatch.Member(DeliveryBatchTest.text("{\"bundle\":0}"), Map.of());

        DeliveryBatch batch = DeliveryBatch.take(first, session, QUEUE, 5, 0);
        session.commit();

        assertThat(batch.members).extracting(m -> DeliveryBatchTest.text(m.bundle()))
                .containsExactly("{\"bundle\":0}", "{\"bundle\":1}", "{\"bundle\":2}", "{\"bundle\":3}", "{\"bundle\":4}");
        assertThat(batch.members.get(1).headers()).containsEntry("VigilMessageControlId", "m1");
        assertThat(remaining()).containsExactlyElementsOf(
                IntStream.rangeClosed(5, 30).mapToObj(i -> "{\"bundle\":" + i + "}").toList());
    }

    @Test
    void shouldReadABundleStoredAsUtf8BytesAsItsText() throws Exception {
        String bundle = "{\"resourceType\":\"Bundle\",\"note\":\"Größe 37,5 °C, SpO₂ 97 %, 体温 \uD83D\uDE00\"}";
        Session sender = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        drainAll();
        sender.createProducer(sender.createQueue(QUEUE)).send(bytes(sender, bundle));
        sender.close();
        Session session = connection.createSession(true, Session.SESSION_TRANSACTED);

        DeliveryBatch batch = DeliveryBatch.take(new DeliveryBatch.Member(DeliveryBatchTest.text("{}"), Map.of()), session, QUEUE, 5, 0);
        session.commit();

        assertThat(batch.members).extracting(m -> DeliveryBatchTest.text(m.bundle())).containsExactly("{}", bundle);
    }

    @Test
    void shouldLeaveEveryBundleOnTheQueueWhenTheBatchRollsBack() throws Exception {
        Session session = connection.createSession(true, Session.SESSION_TRANSACTED);

        DeliveryBatch batch = DeliveryBatch.take(new DeliveryBatch.Member(DeliveryBatchTest.text("{}"), Map.of()), session, QUEUE, 20, 0);
        session.rollback();

        assertThat(batch.members).hasSize(20);
        assertThat(remaining()).hasSize(30);
    }

    @Test
    void shouldTakeAFullBatchOfBundlesOfTheirRealSizeInOneGo() throws Exception {
        // bundles the size of one PCD-01 message's (about 3.3 KB), stored as processing stores them (UTF-8 bytes; as
        // text they take twice the room in the broker, and whether a batch of 400 is whole then depends on the broker
        // refilling the consumer's buffer in time): a batch of 400 is taken whole from a backlog of 450, instead of
        // ending when the consumer's first buffer runs dry; the rest stays on the queue in order
        Session sender = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageProducer producer = sender.createProducer(sender.createQueue(QUEUE));
        String padding = "x".repeat(3300);
        for (int i = 31; i <= 450; i++) {
            producer.send(bytes(sender, "{\"bundle\":" + i + ",\"pad\":\"" + padding + "\"}"));
        }
        sender.close();
        Session session = connection.createSession(true, Session.SESSION_TRANSACTED);

        DeliveryBatch batch = DeliveryBatch.take(new DeliveryBatch.Member(DeliveryBatchTest.text("{}"), Map.of()), session, QUEUE, 400, 0);
        session.commit();

        assertThat(batch.members).hasSize(400);
        assertThat(remaining()).hasSize(51).allSatisfy(b -> assertThat(b).contains("\"pad\""))
                .first().asString().startsWith("{\"bundle\":400,");
    }

    @Test
    void shouldHoldEnoughForTheBatchWithinBounds() {
        assertThat(DeliveryBatch.heldBytes(1)).isEqualTo(64 * 1024);
        assertThat(DeliveryBatch.heldBytes(400)).isEqualTo(400 * DeliveryBatch.HELD_BYTES_PER_BUNDLE);
        assertThat(DeliveryBatch.heldBytes(100_000)).isEqualTo(DeliveryBatch.MOST_HELD_BYTES);
    }

    private static BytesMessage bytes(Session session, String text) throws JMSException {
        BytesMessage message = session.createBytesMessage();
        message.writeBytes(text.getBytes(StandardCharsets.UTF_8));
        return message;
    }

    private void drainAll() throws JMSException {
        Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer consumer = session.createConsumer(session.createQueue(QUEUE));
        while (consumer.receive(200) != null) {
            // taking the setup's bundles off the queue
        }
        session.close();
    }

    /** The bundles on the queue, browsed in queue order. */
    private List<String> remaining() throws Exception {
        List<String> out = new ArrayList<>();
        Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        var browser = session.createBrowser(session.createQueue(QUEUE));
        var messages = browser.getEnumeration();
        while (messages.hasMoreElements()) {
            Message message = (Message) messages.nextElement();
            out.add(message instanceof BytesMessage bytes ? new String(bytes.getBody(byte[].class), StandardCharsets.UTF_8)
                    : ((TextMessage) message).getText());
        }
        session.close();
        return out;
    }
}
