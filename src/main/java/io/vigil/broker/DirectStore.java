package io.vigil.broker;

import io.netty.buffer.ByteBuf;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.Session;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.core.client.impl.ClientMessageImpl;
import org.apache.activemq.artemis.core.io.IOCallback;
import org.apache.activemq.artemis.core.message.impl.CoreMessage;
import org.apache.activemq.artemis.core.persistence.StorageManager;
import org.apache.activemq.artemis.core.postoffice.RoutingStatus;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.settings.impl.AddressFullMessagePolicy;
import org.apache.activemq.artemis.jms.client.ActiveMQBytesMessage;
import org.apache.activemq.artemis.jms.client.ActiveMQDestination;
import org.apache.activemq.artemis.jms.client.ActiveMQMessage;
import org.apache.activemq.artemis.jms.client.ActiveMQTextMessage;
import org.apache.activemq.artemis.utils.UUIDGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores a message on the embedded broker from the sender's own thread, straight into the broker's post office and
 * journal, and returns once the journal has synced it to disk. Every MLLP connection does so at once, and the journal
 * syncs whatever all of them wrote in its buffer window (vigil.artemis.journal-buffer-timeout) together: a group
 * commit made by the journal itself, with one hand-off per message (to the journal's writer) where a send and commit
 * through the broker's JMS client took five (the client's writer thread, the in-VM connection, the broker's session,
 * the journal, the answer back). A message stored here is the message {@code jms:} would have sent: built by the same
 * binding (body and headers), with a JMS message id, persistent, priority 4; consumers cannot tell the two apart.
 * <p>
 * What it does not take, it leaves to the caller to send through the JMS client ({@link GroupCommit}), and stores
 * nothing of it: a queue or topic the broker has not created yet (the client creates it), an address whose senders
 * must wait when it is full (flow control is the client's), a message over {@link #MOST_BYTES} (the client stores
 * large messages in files of their own), a body other than text or bytes, and everything when the broker is not
 * embedded or not running.
 */
public final class DirectStore {

    private static final Logger LOG = LoggerFactory.getLogger(DirectStore.class);

    /** Messages larger than this (encoded) go through the JMS client, which stores large messages apart. */
    static final int MOST_BYTES = 64 * 1024;

    /** The first buffer of a message created without its text; grown as needed. */
    private static final int INITIAL_BUFFER = 1500;

    /** Room for a text message's headers and properties after its body. */
    private static final int HEADER_ROOM = 4096;

    /**
     * Room for a bytes message's headers and properties after its body: those of the last message the thread stored
     * and {@link #HEADER_MARGIN} more (a thread stores messages of the same kind: a bundle's headers are about 800
     * bytes), {@link #HEADER_ROOM} before its first. A message whose headers outgrow it still fits: the buffer grows.
     */
    private static final int HEADER_MARGIN = 256;

    /**
     * Most room a message's buffer may have left unused when the broker keeps that buffer itself; one with more is
     * copied to its size first, so that a stored message holds no more memory than the broker counts it for.
     */
    static final int MOST_UNUSED = 1024;

    /**
     * This thread's sizes: [0] the body being stored (for the bytes message's first buffer), [1] the headers and
     * properties of the last bytes message it stored, encoded (0 before the first).
     */
    private static final ThreadLocal<int[]> SIZES = ThreadLocal.withInitial(() -> new int[2]);

    /** Builds messages as a session would, for a binding that only needs its message factories. */
    private static final Session MESSAGES = (Session) Proxy.newProxyInstance(DirectStore.class.getClassLoader(),
            new Class<?>[] {Session.class}, (proxy, method, args) -> switch (method.getName()) {
                case "createTextMessage" -> {
                    // room for the text as the broker encodes it (two bytes a character) and the headers after it, so
                    // that the buffer is allocated once instead of growing to the next power of two
                    int room = args != null && args.length == 1 && args[0] != null
                            ? 2 * ((String) args[0]).length() + HEADER_ROOM : INITIAL_BUFFER;
                    ActiveMQTextMessage text = new ActiveMQTextMessage(message(ActiveMQTextMessage.TYPE, room), null);
                    writable(text);
                    if (args != null && args.length == 1) {
                        text.setText((String) args[0]);
                    }
                    yield text;
                }
                case "createBytesMessage" -> {
                    // room for the body the sender announced (store's bodyBytes) and the headers after it
                    int[] sizes = SIZES.get();
                    int headers = sizes[1] > 0 ? Math.min(sizes[1] + HEADER_MARGIN, HEADER_ROOM) : HEADER_ROOM;
                    ActiveMQBytesMessage bytes = new NewBytesMessage(
                            message(ActiveMQBytesMessage.TYPE, sizes[0] + headers));
                    writable(bytes);
                    yield bytes;
                }
                case "hashCode" -> System.identityHashCode(proxy);
                case "equals" -> proxy == args[0];
                case "toString" -> "DirectStore message factory";
                default -> throw new Unsupported(method.getName());
            });

    /** A bytes message around a new client message (the broker's own constructor for that is not public). */
    private static final class NewBytesMessage extends ActiveMQBytesMessage {
        NewBytesMessage(ClientMessage message) {
            super(message, null);
        }
    }

    /** A message that needs more of a session than its message factories: it goes through the JMS client. */
    static final class Unsupported extends RuntimeException {
        Unsupported(String method) {
            super("Session." + method + " is not available when storing directly", null, false, false);
        }
    }

    private final ActiveMQServer server;
    private final long timeoutMillis;
    private final Map<String, Target> targets = new ConcurrentHashMap<>();
    private final AtomicLong stored = new AtomicLong();
    private final AtomicLong passed = new AtomicLong();

    private record Target(SimpleString address, ActiveMQDestination destination) {
    }

    /**
     * @param server  the embedded broker; null when the appliance uses a broker of its own elsewhere (everything then
     *                goes through the JMS client)
     * @param timeout how long a sender waits for the journal to confirm its message is on disk before it is told the
     *                message may not be stored (the device then sends it again)
     */
    public DirectStore(ActiveMQServer server, Duration timeout) {
        this.server = server;
        this.timeoutMillis = timeout.toMillis();
    }

    /**
     * Stores the message built by {@code build} on queue or topic {@code name} and returns once it is on disk.
     *
     * @return false, with nothing stored, when this message must go through the JMS client instead (see the class)
     * @throws JMSException when the broker refused it or did not confirm it on disk: it may not be stored
     */
    public boolean store(boolean topic, String name, GroupCommit.MessageBuilder build) throws JMSException {
        return store(topic, name, 0, build);
    }

    /**
     * As {@link #store(boolean, String, GroupCommit.MessageBuilder)}, for a body of about {@code bodyBytes} bytes: a
     * bytes message's buffer is then allocated once, at its size.
     */
    public boolean store(boolean topic, String name, int bodyBytes, GroupCommit.MessageBuilder build) throws JMSException {
        return store(topic, name, bodyBytes, build, true);
    }

    /**
     * As {@link #store(boolean, String, int, GroupCommit.MessageBuilder)}; with {@code awaitDisk} false it returns once
     * the message is in the journal's buffer, and the caller learns when it is on disk from {@link #afterStored}
     * (called later on the same thread), as the MLLP listener does before it ACKs.
     */
    public boolean store(boolean topic, String name, int bodyBytes, GroupCommit.MessageBuilder build, boolean awaitDisk)
            throws JMSException {
        if (server == null || !server.isActive()) {
            return pass();
        }
        Target target = targets.computeIfAbsent((topic ? "topic:" : "queue:") + name, key -> new Target(
                SimpleString.of(name), topic ? ActiveMQDestination.createTopic(name) : ActiveMQDestination.createQueue(name)));
        if (!takes(topic, target.address())) {
            return pass();
        }
        Message built;
        int[] hint = SIZES.get();
        hint[0] = bodyBytes > 0 ? Math.min(bodyBytes, MOST_BYTES) : INITIAL_BUFFER;
        try {
            built = build.build(MESSAGES);
        } catch (Unsupported e) {
            return pass();
        }
        if (!(built instanceof ActiveMQMessage jms)) {
            return pass();
        }
        CoreMessage message = serverMessage(jms, target, topic);
        if (message == null) {
            return pass();
        }
        StorageManager storage = server.getStorageManager();
        try {
            message.setMessageID(storage.generateID());
            RoutingStatus status = server.getPostOffice().route(message, false);
            if (status != RoutingStatus.OK && !topic) {
                // the queue went away since takes() looked: nothing was stored; the JMS client creates it again
                return pass();
            }
            // waits on this thread's own operation context: the message and its references, synced to disk
            if (awaitDisk && !storage.waitOnOperations(timeoutMillis)) {
                throw new JMSException("the broker did not confirm the message on disk within " + timeoutMillis
                        + " ms; it may not be stored");
            }
        } catch (JMSException e) {
            throw e;
        } catch (Exception e) {
            JMSException failed = new JMSException("storing the message on " + name + " failed: " + e);
            failed.initCause(e);
            throw failed;
        }
        stored.incrementAndGet();
        return true;
    }

    /**
     * Runs {@code stored} once everything this thread stored so far is on disk, or {@code failed} with the journal's
     * reason if it could not be; at once when nothing is pending or the broker is not embedded (the JMS client's
     * sends return only once stored). Actions registered by one thread run one after the other, in the order
     * registered, on a thread of the broker's: keep them short.
     */
    public void afterStored(Runnable stored, Consumer<String> failed) {
        if (server == null || !server.isActive()) {
            stored.run();
            return;
        }
        server.getStorageManager().afterCompleteOperations(new IOCallback() {
            @Override
            public void done() {
                stored.run();
            }

            @Override
            public void onError(int errorCode, String errorMessage) {
                failed.accept("journal error " + errorCode + ": " + errorMessage);
            }
        });
    }

    /**
     * Has what this thread stores complete on the thread that learns it is on disk, the journal's, instead of on a
     * thread of the broker's pool woken for it: the broker's own follow-up (the message put on its queue) and the
     * actions of {@link #afterStored}, which must then be short and must not wait (the MLLP listener's ACK, written to
     * a socket that does not block). The journal syncs the messages of many senders at once, and each sync woke a pool
     * thread per sending thread to run them. Call it on the thread before it stores anything.
     *
     * @return false when the embedded broker is not running (nothing changed: call again later)
     */
    public boolean completeOnJournalThread() {
        if (server == null || !server.isActive() || server.getStorageManager() == null) {
            return false;
        }
        StorageManager storage = server.getStorageManager();
        storage.setContext(storage.newContext(DirectStore::runHere));
        return true;
    }

    /** Runs a completion where the journal calls it; a failing one is logged, as the broker's pool would. */
    private static void runHere(Runnable completion) {
        try {
            completion.run();
        } catch (RuntimeException e) {
            LOG.warn("A completion of a stored message failed on the journal's thread: {}", e.toString(), e);
        }
    }

    /** Leaves the message to the caller: nothing of it is stored. */
    private boolean pass() {
        passed.incrementAndGet();
        return false;
    }

    /** Whether the broker has this queue (or topic address), and its senders need not wait when it is full. */
    private boolean takes(boolean topic, SimpleString address) {
        if (server.getAddressInfo(address) == null) {
            return false;
        }
        if (!topic && server.getPostOffice().getBinding(address) == null) {
            return false;
        }
        AddressFullMessagePolicy policy = server.getAddressSettingsRepository().getMatch(address.toString())
                .getAddressFullMessagePolicy();
        return policy != AddressFullMessagePolicy.BLOCK;
    }

    /**
     * The message as the broker would have received it from the JMS client: what the producer sets (persistent,
     * priority 4, no expiry, timestamp, a JMS message id, the destination), the body written out, then its encoding
     * copied into a broker message as the journal would reload it. Null when it is too large to store here, or not a
     * message of the broker's own core kind.
     */
    private static CoreMessage serverMessage(ActiveMQMessage jms, Target target, boolean topic) throws JMSException {
        jms.setJMSDeliveryMode(DeliveryMode.PERSISTENT);
        jms.setJMSPriority(Message.DEFAULT_PRIORITY);
        jms.setJMSExpiration(0);
        jms.setJMSTimestamp(System.currentTimeMillis());
        ClientMessage client = jms.getCoreMessage();
        client.setUserID(UUIDGenerator.getInstance().generateUUID());
        jms.resetMessageID(null);
        jms.setJMSDestination(target.destination());
        try {
            jms.doBeforeSend();
        } catch (Exception e) {
            JMSException failed = new JMSException("writing the message body failed: " + e);
            failed.initCause(e);
            throw failed;
        }
        if (client.getBodyInputStream() != null) {
            return null; // a body streamed from an InputStream: the client stores it as a large message
        }
        client.setAddress(target.address());
        client.setRoutingType(topic ? RoutingType.MULTICAST : RoutingType.ANYCAST);
        int size = client.getPersistSize();
        if (size > MOST_BYTES) {
            return null;
        }
        if (!(client instanceof CoreMessage encoded)) {
            return null;
        }
        if (jms instanceof ActiveMQBytesMessage) {
            SIZES.get()[1] = encoded.getHeadersAndPropertiesEncodeSize();
        }
        // the record the journal would hold, less its length: the encoded message. The broker keeps the buffer it was
        // written in (the client message is dropped) when little of it is unused, else a copy of it at its size.
        ByteBuf buffer = encoded.getBuffer();
        int length = size - Integer.BYTES;
        boolean asWritten = buffer.readerIndex() == 0 && buffer.writerIndex() == length
                && buffer.capacity() - length <= MOST_UNUSED;
        CoreMessage message = new CoreMessage();
        message.receiveBuffer(asWritten ? buffer : buffer.copy(0, length));
        message.setAddress(target.address());
        return message;
    }

    private static ClientMessage message(byte type, int initialBuffer) {
        return new ClientMessageImpl(type, true, 0, System.currentTimeMillis(), (byte) Message.DEFAULT_PRIORITY, initialBuffer);
    }

    /** A message built around a fresh client message starts read-only (as a received one); a new one is writable. */
    private static void writable(ActiveMQMessage message) throws JMSException {
        message.clearBody();
        message.clearProperties();
    }

    /** Messages stored directly so far. */
    public long stored() {
        return stored.get();
    }

    /** Messages left to the JMS client so far (queue not yet created, flow control, size, broker not embedded). */
    public long passed() {
        return passed.get();
    }
}
