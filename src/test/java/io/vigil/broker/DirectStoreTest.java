package io.vigil.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.support.InVmBroker;
import jakarta.jms.BytesMessage;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressFullMessagePolicy;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Messages stored straight into a persistent broker's journal from the senders' threads: on disk when store returns
 * (they are there after the broker restarts), each sender's in its order, read by a JMS consumer as the JMS client's
 * own messages are; what it must not take (no such queue yet, a blocking address, a large message, a broker that is
 * not running) it leaves to the caller with nothing stored.
 */
class DirectStoreTest {

    private static final String QUEUE = "vigil.delivery.ehr";
    private static final String BLOCKING = "vigil.observations";
    private static final String TOPIC = "vigil.alerts";
    private static final String SUBSCRIPTION = "vigil.alerts.kafka";

    @TempDir
    Path data;
    private EmbeddedActiveMQ broker;
    private ActiveMQConnectionFactory factory;
    private DirectStore store;

    @BeforeEach
    void start() throws Exception {
        startBroker();
    }

    @AfterEach
    void stop() throws Exception {
        stopBroker();
    }

    private void startBroker() throws Exception {
        ConfigurationImpl configuration = new ConfigurationImpl();
        configuration.setPersistenceEnabled(true);
        configuration.setSecurityEnabled(false);
        configuration.setJournalDirectory(data.resolve("journal").toString());
        configuration.setBindingsDirectory(data.resolve("bindings").toString());
        configuration.setPagingDirectory(data.resolve("paging").toString());
        configuration.setLargeMessagesDirectory(data.resolve("large").toString());
        configuration.setJournalBufferTimeout_NIO(100_000);
        configuration.addAcceptorConfiguration("in-vm", "vm://11");
        configuration.addQueueConfiguration(QueueConfiguration.of(QUEUE).setRoutingType(RoutingType.ANYCAST));
        configuration.addQueueConfiguration(QueueConfiguration.of(BLOCKING).setRoutingType(RoutingType.ANYCAST));
        configuration.addQueueConfiguration(QueueConfiguration.of(SUBSCRIPTION).setAddress(TOPIC)
                .setRoutingType(RoutingType.MULTICAST));
        configuration.addAddressSetting(BLOCKING, new AddressSettings().setMaxSizeBytes(1 << 20)
                .setAddressFullMessagePolicy(AddressFullMessagePolicy.BLOCK));
        broker = new EmbeddedActiveMQ().setConfiguration(configuration);
        broker.start();
        factory = new ActiveMQConnectionFactory("vm://11");
        store = new DirectStore(broker.getActiveMQServer(), Duration.ofSeconds(30));
    }

    private void stopBroker() throws Exception {
        factory.close();
        broker.stop();
    }

    @Test
    void shouldStoreAMessageThatAJmsConsumerReadsAsTheClientsOwn() throws Exception {
        assertThat(store.store(false, QUEUE, text("{\"resourceType\":\"Bundle\"}", "MSG-1"))).isTrue();
        assertThat(store.store(false, QUEUE, text("second", "MSG-2"))).isTrue();

        List<Message> stored = drain(QUEUE);
        assertThat(stored).hasSize(2);
        Message first = stored.get(0);
        assertThat(((TextMessage) first).getText()).isEqualTo("{\"resourceType\":\"Bundle\"}");
        assertThat(first.getStringProperty("VigilMessageControlId")).isEqualTo("MSG-1");
        assertThat(first.getIntProperty("VigilObservations")).isEqualTo(6);
        assertThat(first.getJMSDeliveryMode()).isEqualTo(DeliveryMode.PERSISTENT);
        assertThat(first.getJMSPriority()).isEqualTo(4);
        assertThat(first.getJMSTimestamp()).isPositive();
        assertThat(first.getJMSMessageID()).startsWith("ID:").isNotEqualTo(stored.get(1).getJMSMessageID());
        assertThat(((TextMessage) stored.get(1)).getText()).isEqualTo("second");
        assertThat(store.stored()).isEqualTo(2);
        assertThat(store.passed()).isZero();
    }

    @Test
    void shouldHaveEveryStoredMessageOnDiskWhenTheBrokerStartsAgain() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThat(store.store(false, QUEUE, text("bundle " + i, "MSG-" + i))).isTrue();
        }
        stopBroker();
        startBroker();

        List<Message> stored = drain(QUEUE);
        assertThat(stored).extracting(m -> ((TextMessage) m).getText()).containsExactly("bundle 0", "bundle 1", "bundle 2");
        assertThat(stored).extracting(m -> m.getStringProperty("VigilMessageControlId"))
                .containsExactly("MSG-0", "MSG-1", "MSG-2");
    }

    /** Bodies from a few characters to near the limit, beyond Latin-1, with more headers than the body's buffer leaves room for. */
    @Test
    void shouldStoreBodiesOfEverySizeAndHeadersBeyondTheirRoomIntact() throws Exception {
        String bundle = "{\"resourceType\":\"Bundle\",\"note\":\"Größe 37,5 °C, SpO₂ 97 %, 体温\"}";
        List<String> bodies = List.of("", "x", bundle, bundle.repeat(100), "é".repeat((DirectStore.MOST_BYTES - 20_000) / 2));
        String headerValue = "h".repeat(300);
        for (int i = 0; i < bodies.size(); i++) {
            String body = bodies.get(i);
            assertThat(store.store(false, QUEUE, session -> {
                TextMessage message = session.createTextMessage(body);
                for (int h = 0; h < 20; h++) {
                    message.setStringProperty("VigilHeader" + h, headerValue + h);
                }
                return message;
            })).as("body of %d characters", body.length()).isTrue();
        }
        assertThat(store.stored()).isEqualTo(bodies.size());
        stopBroker();
        startBroker();

        List<Message> stored = drain(QUEUE);
        assertThat(stored).extracting(m -> ((TextMessage) m).getText()).containsExactlyElementsOf(bodies);
        for (Message message : stored) {
            for (int h = 0; h < 20; h++) {
                assertThat(message.getStringProperty("VigilHeader" + h)).isEqualTo(headerValue + h);
            }
        }
    }

    /**
     * Bundles as UTF-8 bytes (as processing stores them): stored directly whatever the size announced (exact, none,
     * too small, too large), read back as bytes messages with the same bytes and headers after a restart.
     */
    @Test
    void shouldStoreBytesBodiesWhateverSizeWasAnnounced() throws Exception {
        byte[] bundle = "{\"resourceType\":\"Bundle\",\"note\":\"Größe 37,5 °C, SpO₂ 97 %, 体温\"}"
                .getBytes(StandardCharsets.UTF_8);
        List<byte[]> bodies = List.of(new byte[0], bundle, repeat(bundle, 100), repeat(bundle, 100),
                repeat(bundle, (DirectStore.MOST_BYTES - 20_000) / bundle.length));
        int[] announced = {0, bundle.length, 0, 10, DirectStore.MOST_BYTES * 4};
        String headerValue = "h".repeat(300);
        for (int i = 0; i < bodies.size(); i++) {
            byte[] body = bodies.get(i);
            String controlId = "MSG-" + i;
            assertThat(store.store(false, QUEUE, announced[i], session -> {
                BytesMessage message = session.createBytesMessage();
                message.writeBytes(body);
                message.setStringProperty("VigilMessageControlId", controlId);
                for (int h = 0; h < 20; h++) {
                    message.setStringProperty("VigilHeader" + h, headerValue + h);
                }
                return message;
            })).as("body of %d bytes announced as %d", body.length, announced[i]).isTrue();
        }
        assertThat(store.stored()).isEqualTo(bodies.size());
        assertThat(store.passed()).isZero();
        stopBroker();
        startBroker();

        List<Message> stored = drain(QUEUE);
        assertThat(stored).hasSize(bodies.size());
        for (int i = 0; i < stored.size(); i++) {
            Message message = stored.get(i);
            assertThat(message).isInstanceOf(BytesMessage.class);
            assertThat(message.getBody(byte[].class)).as("body %d", i).isEqualTo(bodies.get(i).length == 0 ? null : bodies.get(i));
            assertThat(message.getStringProperty("VigilMessageControlId")).isEqualTo("MSG-" + i);
            assertThat(message.getStringProperty("VigilHeader19")).isEqualTo(headerValue + 19);
        }
    }

    /**
     * Bundles one after another on one thread, as a listener thread stores them: the broker keeps each in a buffer
     * with at most {@link DirectStore#MOST_UNUSED} bytes unused (the room for the headers follows the thread's last
     * message; the first, given the full room, is copied to its size), and every one is read back whole, from memory
     * and again after a restart, whether its headers were as large as the last one's or larger.
     */
    @Test
    void shouldKeepStoredBundlesInBuffersWithLittleUnusedAndIntact() throws Exception {
        byte[] bundle = "{\"resourceType\":\"Bundle\",\"note\":\"Größe 37,5 °C, SpO₂ 97 %, 体温\"}"
                .getBytes(StandardCharsets.UTF_8);
        List<byte[]> bodies = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            bodies.add(repeat(bundle, 100 + i));
        }
        for (int i = 0; i < bodies.size(); i++) {
            byte[] body = bodies.get(i);
            // every tenth message has three times the headers of the one before it
            String headerValue = "h".repeat(i % 10 == 9 ? 600 : 200);
            String controlId = "MSG-" + i;
            assertThat(store.store(false, QUEUE, body.length, session -> {
                BytesMessage message = session.createBytesMessage();
                message.writeBytes(body);
                message.setStringProperty("VigilMessageControlId", controlId);
                message.setStringProperty("VigilPatientKeys", headerValue);
                return message;
            })).isTrue();
        }
        org.apache.activemq.artemis.core.server.Queue queue = broker.getActiveMQServer()
                .locateQueue(org.apache.activemq.artemis.api.core.SimpleString.of(QUEUE));
        int kept = 0;
        try (var references = queue.browserIterator()) {
            while (references.hasNext()) {
                io.netty.buffer.ByteBuf buffer = references.next().getMessage().toCore().getBuffer();
                assertThat(buffer.capacity() - buffer.writerIndex()).isLessThanOrEqualTo(DirectStore.MOST_UNUSED);
                kept++;
            }
        }
        assertThat(kept).isEqualTo(bodies.size());

        List<Message> stored = drain(QUEUE);
        assertThat(stored).hasSize(bodies.size());
        for (int i = 0; i < stored.size(); i++) {
            assertThat(stored.get(i).getBody(byte[].class)).as("body %d", i).isEqualTo(bodies.get(i));
            assertThat(stored.get(i).getStringProperty("VigilMessageControlId")).isEqualTo("MSG-" + i);
        }

        for (int i = 0; i < 3; i++) {
            byte[] body = bodies.get(i);
            assertThat(store.store(false, QUEUE, body.length, session -> {
                BytesMessage message = session.createBytesMessage();
                message.writeBytes(body);
                message.setStringProperty("VigilPatientKeys", "p".repeat(3000));
                return message;
            })).isTrue();
        }
        stopBroker();
        startBroker();
        List<Message> reloaded = drain(QUEUE);
        assertThat(reloaded).extracting(m -> m.getBody(byte[].class)).containsExactlyElementsOf(bodies.subList(0, 3));
        assertThat(reloaded).extracting(m -> m.getStringProperty("VigilPatientKeys")).containsOnly("p".repeat(3000));
    }

    @Test
    void shouldLeaveABytesBodyOverTheLimitToTheClient() throws Exception {
        byte[] large = new byte[DirectStore.MOST_BYTES + 1];
        assertThat(store.store(false, QUEUE, large.length, session -> {
            BytesMessage message = session.createBytesMessage();
            message.writeBytes(large);
            return message;
        })).isFalse();
        assertThat(store.passed()).isEqualTo(1);
        assertThat(drain(QUEUE)).isEmpty();
    }

    private static byte[] repeat(byte[] part, int times) {
        byte[] all = new byte[part.length * times];
        for (int i = 0; i < times; i++) {
            System.arraycopy(part, 0, all, i * part.length, part.length);
        }
        return all;
    }

    @Test
    void shouldKeepEachOfManyConcurrentSendersInItsOrder() throws Exception {
        ExecutorService senders = Executors.newFixedThreadPool(20);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 20; t++) {
                int sender = t;
                done.add(senders.submit(() -> {
                    for (int n = 0; n < 50; n++) {
                        assertThat(store.store(false, QUEUE, text(sender + ":" + n, "S" + sender))).isTrue();
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            senders.shutdownNow();
        }

        List<Message> stored = drain(QUEUE);
        assertThat(stored).hasSize(1000);
        int[] next = new int[20];
        for (Message m : stored) {
            String[] parts = ((TextMessage) m).getText().split(":");
            int sender = Integer.parseInt(parts[0]);
            assertThat(Integer.parseInt(parts[1])).isEqualTo(next[sender]);
            next[sender]++;
        }
        assertThat(store.stored()).isEqualTo(1000);
    }

    /**
     * A sending thread whose completions run where the journal learns its messages are on disk: each message's
     * action runs once it is stored, in the order stored, on the journal's own thread (or at once on the sender's,
     * when nothing is pending), never on a thread of the broker's pool woken for it; and every message is on its
     * queue. A thread that did not ask has its actions run on the pool, as before.
     */
    @Test
    void shouldCompleteOnTheJournalsThreadWhenTheSenderAsks() throws Exception {
        List<String> asked = sendWithActions(true, "asked", 200);
        assertThat(asked).hasSize(200).allSatisfy(thread ->
                assertThat(thread).isIn("activemq-buffer-timeout", "vigil-test-sender-asked"));
        assertThat(asked).contains("activemq-buffer-timeout");
        List<Message> stored = drain(QUEUE);
        assertThat(stored).extracting(m -> ((TextMessage) m).getText())
                .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 200).mapToObj(i -> "asked:" + i).toList());

        List<String> pooled = sendWithActions(false, "pooled", 200);
        assertThat(pooled).hasSize(200).anySatisfy(thread ->
                assertThat(thread).isNotIn("activemq-buffer-timeout", "vigil-test-sender-pooled"));
        assertThat(drain(QUEUE)).hasSize(200);

        broker.getActiveMQServer().stop();
        assertThat(store.completeOnJournalThread()).isFalse();
        assertThat(new DirectStore(null, Duration.ofSeconds(1)).completeOnJournalThread()).isFalse();
    }

    /** Stores {@code count} messages on a new thread, each with an action once on disk: the threads they ran on. */
    private List<String> sendWithActions(boolean onJournal, String name, int count) throws Exception {
        List<String> threads = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Integer> order = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(count);
        ExecutorService sender = Executors.newSingleThreadExecutor(r -> new Thread(r, "vigil-test-sender-" + name));
        try {
            sender.submit(() -> {
                if (onJournal) {
                    assertThat(store.completeOnJournalThread()).isTrue();
                }
                for (int n = 0; n < count; n++) {
                    int number = n;
                    assertThat(store.store(false, QUEUE, 0, text(name + ":" + n, "S"), false)).isTrue();
                    store.afterStored(() -> {
                        threads.add(Thread.currentThread().getName());
                        order.add(number);
                        done.countDown();
                    }, failure -> { });
                }
                return null;
            }).get();
            assertThat(done.await(30, java.util.concurrent.TimeUnit.SECONDS)).as("every action ran").isTrue();
        } finally {
            sender.shutdownNow();
        }
        assertThat(order).isSorted();
        return threads;
    }

    @Test
    void shouldStoreOnATopicForEachOfItsSubscriptions() throws Exception {
        assertThat(store.store(true, TOPIC, text("alert", "MSG-9"))).isTrue();

        List<Message> stored = drain(TOPIC + "::" + SUBSCRIPTION); // the subscription, by its fully qualified name
        assertThat(stored).extracting(m -> ((TextMessage) m).getText()).containsExactly("alert");
    }

    @Test
    void shouldLeaveToTheCallerWhatItMustNotTakeAndStoreNothingOfIt() throws Exception {
        String large = "x".repeat(DirectStore.MOST_BYTES + 1);

        assertThat(store.store(false, "vigil.not.created", text("a", "MSG-1"))).isFalse();
        assertThat(store.store(false, BLOCKING, text("b", "MSG-2"))).isFalse();
        assertThat(store.store(false, QUEUE, text(large, "MSG-3"))).isFalse();
        assertThat(store.store(false, QUEUE, session -> session.createObjectMessage("not text"))).isFalse();

        assertThat(store.passed()).isEqualTo(4);
        assertThat(store.stored()).isZero();
        assertThat(broker.getActiveMQServer().getAddressInfo(
                org.apache.activemq.artemis.api.core.SimpleString.of("vigil.not.created"))).isNull();
        assertThat(drain(QUEUE)).isEmpty();
        assertThat(drain(BLOCKING)).isEmpty();
    }

    @Test
    void shouldLeaveEverythingToTheCallerWhenTheBrokerIsNotRunning() throws Exception {
        broker.getActiveMQServer().stop();

        assertThat(store.store(false, QUEUE, text("a", "MSG-1"))).isFalse();
        assertThat(new DirectStore(null, Duration.ofSeconds(1)).store(false, QUEUE, text("a", "MSG-1"))).isFalse();
    }

    private static GroupCommit.MessageBuilder text(String body, String controlId) {
        return session -> {
            TextMessage message = session.createTextMessage(body);
            message.setStringProperty("VigilMessageControlId", controlId);
            message.setIntProperty("VigilObservations", 6);
            return message;
        };
    }

    private List<Message> drain(String queue) throws Exception {
        return InVmBroker.drain(factory, queue);
    }
}
