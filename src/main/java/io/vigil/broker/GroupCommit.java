package io.vigil.broker;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Durable sends of many threads in shared broker transactions. Each MLLP connection used to send its message and
 * commit on its own session: one blocking broker round trip and one journal sync each, and every one of them a
 * hand-off to the broker's threads and back. Here a writer thread takes whatever senders have handed it, sends it
 * all in one transacted session and commits once (group commit); each sender gets its answer when that commit is on
 * disk, so a message is still durable before its ACK. With more than one writer, one sends while another waits for
 * its commit. A sender waits for its message's commit before it sends the next, so its messages stay in order.
 * Under load a commit carries tens of messages; alone, a message is sent at once, so the quiet appliance answers as
 * fast as before.
 * <p>
 * A message that cannot be built fails alone. A failed send or commit (the broker is stopping, the disk failed)
 * fails every message of that transaction: their senders NAK and the devices send again; nothing of it stays on the
 * broker, and the next transaction opens a new session.
 */
public final class GroupCommit implements AutoCloseable {

    /** Messages at most in one transaction. */
    static final int MOST_PER_COMMIT = 500;
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommit.class);

    /** Builds a sender's message on the writer's session. */
    @FunctionalInterface
    public interface MessageBuilder {
        Message build(Session session) throws JMSException;
    }

    /** What a sender asks: its message, built on the writer's session, to a topic or a queue. */
    public record Send(boolean topic, String destination, MessageBuilder message) {
    }

    private record Request(Send send, CompletableFuture<Void> done) {
    }

    private final ConnectionFactory factory;
    private final LinkedBlockingQueue<Request> pending = new LinkedBlockingQueue<>();
    private final List<Writer> writers = new ArrayList<>();
    private final AtomicLong messages = new AtomicLong();
    private final AtomicLong commits = new AtomicLong();
    private final AtomicLong failedCommits = new AtomicLong();
    private volatile boolean closing;

    /**
     * @param writers threads that each send and commit on a session of their own: with two, one sends the next
     *                transaction while the other waits for its commit to reach the disk
     */
    public GroupCommit(ConnectionFactory factory, int writers) {
        this.factory = factory;
        for (int i = 0; i < Math.max(1, writers); i++) {
            Writer writer = new Writer("vigil-group-commit-" + (i + 1));
            this.writers.add(writer);
            writer.thread.start();
        }
    }

    /** Sends the message in the next shared transaction and returns once it is committed to disk. */
    public void send(Send send) throws JMSException, InterruptedException {
        if (closing) {
            throw new JMSException("the broker client is stopping; message not stored");
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        pending.add(new Request(send, done));
        try {
            while (true) {
                try {
                    done.get(1, TimeUnit.SECONDS);
                    return;
                } catch (TimeoutException e) {
                    if (writers.stream().noneMatch(w -> w.thread.isAlive())) {
                        throw new JMSException("the broker client stopped; message not stored");
                    }
                }
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof JMSException jms) {
                throw jms;
            }
            JMSException jms = new JMSException("storing the message failed: " + e.getCause());
            jms.initCause(e.getCause());
            throw jms;
        }
    }

    /** One thread with its own connection and transacted session, taking what waits and committing it. */
    private final class Writer implements Runnable {
        final Thread thread;
        private Connection connection;
        private Session session;
        private MessageProducer producer;
        private final Map<String, Destination> destinations = new HashMap<>();

        Writer(String name) {
            thread = new Thread(this, name);
            thread.setDaemon(true);
        }

        @Override
        public void run() {
            List<Request> batch = new ArrayList<>();
            while (!closing) {
                try {
                    Request first = pending.poll(200, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        continue;
                    }
                    batch.add(first);
                    pending.drainTo(batch, MOST_PER_COMMIT - 1);
                    commit(batch);
                } catch (InterruptedException e) {
                    break;
                } finally {
                    batch.clear();
                }
            }
            closeSession();
            JMSException stopped = new JMSException("the broker client stopped; message not stored");
            Request left;
            while ((left = pending.poll()) != null) {
                left.done().completeExceptionally(stopped);
            }
        }

        private void commit(List<Request> batch) {
            List<Request> sent = new ArrayList<>(batch.size());
            try {
                Session s = session();
                for (Request r : batch) {
                    Message message;
                    try {
                        message = r.send().message().build(s);
                    } catch (jakarta.jms.IllegalStateException closed) {
                        throw closed; // the session is gone (the broker stopped): the whole transaction fails
                    } catch (JMSException | RuntimeException e) {
                        r.done().completeExceptionally(e); // this message alone: its sender is told, the others go on
                        continue;
                    }
                    producer.send(destination(s, r.send()), message);
                    sent.add(r);
                }
                s.commit();
                commits.incrementAndGet();
                messages.addAndGet(sent.size());
                sent.forEach(r -> r.done().complete(null));
            } catch (JMSException | RuntimeException e) {
                failedCommits.incrementAndGet();
                LOG.error("A shared broker transaction of {} messages failed; each sender is told so: {}", batch.size(),
                        e.toString());
                closeSession(); // rolls back whatever of it reached the broker; the next batch opens a new session
                batch.forEach(r -> r.done().completeExceptionally(e)); // one already failed keeps its own reason
            }
        }

        private Session session() throws JMSException {
            if (session == null) {
                connection = factory.createConnection();
                session = connection.createSession(true, Session.SESSION_TRANSACTED);
                producer = session.createProducer(null);
            }
            return session;
        }

        private Destination destination(Session s, Send send) throws JMSException {
            String key = (send.topic() ? "topic:" : "queue:") + send.destination();
            Destination d = destinations.get(key);
            if (d == null) {
                d = send.topic() ? s.createTopic(send.destination()) : s.createQueue(send.destination());
                destinations.put(key, d);
            }
            return d;
        }

        private void closeSession() {
            destinations.clear();
            if (connection != null) {
                try {
                    connection.close();
                } catch (JMSException | RuntimeException e) {
                    LOG.debug("Closing a group-commit connection: {}", e.toString());
                }
            }
            connection = null;
            session = null;
            producer = null;
        }
    }

    /** Messages handed over and not yet taken into a transaction. */
    int waiting() {
        return pending.size();
    }

    /** Messages committed so far. */
    public long messages() {
        return messages.get();
    }

    /** Shared transactions committed so far. */
    public long commits() {
        return commits.get();
    }

    /** Shared transactions that failed (each of their senders was told). */
    public long failedCommits() {
        return failedCommits.get();
    }

    @Override
    public void close() throws InterruptedException {
        closing = true;
        for (Writer w : writers) {
            w.thread.interrupt();
        }
        for (Writer w : writers) {
            w.thread.join(TimeUnit.SECONDS.toMillis(10));
        }
    }
}
