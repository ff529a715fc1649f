package io.vigil.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.support.InVmBroker;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Many senders' messages in shared transactions: each sender returns once its message is committed, what waits while
 * a transaction is under way goes together in the next one, a message that cannot be built fails alone, and when the
 * broker is gone each sender is told and the next transaction, once it is back, stores again.
 */
class GroupCommitTest {

    private static final String QUEUE = "vigil.delivery.ehr";

    private EmbeddedActiveMQ broker;
    private ActiveMQConnectionFactory factory;
    private GroupCommit groupCommit;
    private final ExecutorService senders = Executors.newFixedThreadPool(24);

    @BeforeEach
    void start() throws Exception {
        broker = InVmBroker.start(9, null);
        factory = new ActiveMQConnectionFactory("vm://9");
        groupCommit = new GroupCommit(factory, 1); // one writer: which transaction takes what is then certain
    }

    @AfterEach
    void stop() throws Exception {
        senders.shutdownNow();
        groupCommit.close();
        factory.close();
        broker.stop();
    }

    @Test
    void shouldStoreEveryMessageOfConcurrentSendersInTheirOrder() throws Exception {
        try (GroupCommit twoWriters = new GroupCommit(factory, 2)) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 20; t++) {
                int sender = t;
                done.add(senders.submit(() -> {
                    for (int i = 0; i < 50; i++) {
                        twoWriters.send(text(sender + ":" + i));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }

            List<String> stored = drain(QUEUE);
            assertThat(stored).hasSize(1000);
            for (int t = 0; t < 20; t++) {
                String prefix = t + ":";
                assertThat(stored.stream().filter(s -> s.startsWith(prefix)).toList())
                        .containsExactlyElementsOf(IntStream.range(0, 50).mapToObj(i -> prefix + i).toList());
            }
            assertThat(twoWriters.messages()).isEqualTo(1000);
            assertThat(twoWriters.commits()).isBetween(1L, 1000L);
        }
    }

    @Test
    void shouldSendWhatWaitedDuringATransactionInTheNextOne() throws Exception {
        CountDownLatch building = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Future<?> first = senders.submit(() -> {
            groupCommit.send(blocking("first", building, release));
            return null;
        });
        assertThat(building.await(10, TimeUnit.SECONDS)).isTrue(); // the writer has taken the first, builds it
        List<Future<?>> others = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            int n = i;
            others.add(senders.submit(() -> {
                groupCommit.send(text("other " + n));
                return null;
            }));
        }
        awaitWaiting(10);
        assertThat(first.isDone()).isFalse();

        release.countDown();
        first.get(10, TimeUnit.SECONDS);
        for (Future<?> f : others) {
            f.get(10, TimeUnit.SECONDS);
        }

        assertThat(groupCommit.commits()).isEqualTo(2);
        assertThat(groupCommit.messages()).isEqualTo(11);
        assertThat(drain(QUEUE)).hasSize(11).first().isEqualTo("first");
    }

    @Test
    void shouldFailOnlyTheMessageThatCannotBeBuilt() throws Exception {
        CountDownLatch building = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Future<?> first = senders.submit(() -> {
            groupCommit.send(blocking("first", building, release));
            return null;
        });
        assertThat(building.await(10, TimeUnit.SECONDS)).isTrue();
        Future<?> good = senders.submit(() -> {
            groupCommit.send(text("good"));
            return null;
        });
        Future<?> bad = senders.submit(() -> {
            groupCommit.send(failing());
            return null;
        });
        awaitWaiting(2);
        release.countDown();

        first.get(10, TimeUnit.SECONDS);
        good.get(10, TimeUnit.SECONDS); // in the same transaction as the one that failed
        assertThatThrownBy(() -> bad.get(10, TimeUnit.SECONDS)).hasRootCauseMessage("this message cannot be built");
        assertThat(drain(QUEUE)).containsExactly("first", "good");
        assertThat(groupCommit.commits()).isEqualTo(2);
        assertThat(groupCommit.failedCommits()).isZero();
    }

    @Test
    void shouldTellTheSenderWhenTheBrokerIsGoneAndStoreAgainOnceItIsBack() throws Exception {
        groupCommit.send(text("before"));
        assertThat(drain(QUEUE)).containsExactly("before");
        broker.stop();

        assertThatThrownBy(() -> groupCommit.send(text("while stopped"))).isInstanceOf(JMSException.class);
        assertThat(groupCommit.failedCommits()).isEqualTo(1);

        broker.start();
        groupCommit.send(text("after"));
        assertThat(drain(QUEUE)).containsExactly("after");
    }

    @Test
    void shouldRefuseMessagesOnceClosed() throws Exception {
        groupCommit.close();

        assertThatThrownBy(() -> groupCommit.send(text("late")))
                .isInstanceOf(JMSException.class).hasMessageContaining("not stored");
        assertThat(drain(QUEUE)).isEmpty();
    }

    private static GroupCommit.Send text(String body) {
        return blocking(body, null, null);
    }

    /** A text message to the queue; with latches, its building says so and waits for release (the writer is busy). */
    private static GroupCommit.Send blocking(String body, CountDownLatch building, CountDownLatch release) {
        return new GroupCommit.Send(false, QUEUE, session -> {
            if (release != null) {
                building.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            TextMessage message = session.createTextMessage(body);
            message.setStringProperty("VigilMessageControlId", body);
            return message;
        });
    }

    private static GroupCommit.Send failing() {
        return new GroupCommit.Send(false, QUEUE, session -> {
            throw new JMSException("this message cannot be built");
        });
    }

    private void awaitWaiting(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (groupCommit.waiting() != count && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(groupCommit.waiting()).isEqualTo(count);
    }

    private List<String> drain(String queue) throws Exception {
        List<String> out = Collections.synchronizedList(new ArrayList<>());
        try (Connection connection = factory.createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            var consumer = session.createConsumer(session.createQueue(queue));
            Message m;
            while ((m = consumer.receive(300)) != null) {
                out.add(((TextMessage) m).getText());
            }
        }
        return out;
    }
}
