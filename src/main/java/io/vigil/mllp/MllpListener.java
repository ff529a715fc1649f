package io.vigil.mllp;

import io.vigil.broker.DirectStore;
import io.vigil.broker.StoreComponent;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Vigil's MLLP listener: a few threads (one per core by default) each watch many connections, read their frames and
 * run the route on each message, then go on to the next connection's message; the answer the route leaves in
 * exchange property {@link #ANSWER} is written once what the route stored is on disk ({@link DirectStore#afterStored}),
 * in the order the connection's messages came. The route's stores do not wait for the disk themselves
 * ({@link StoreComponent#DISK_AWAITED_BY_CONSUMER}), so one disk sync serves the messages of every connection at
 * once and no thread sits waiting for it. A route that leaves no answer, or a journal that cannot store, closes
 * the connection: the sender has no ACK and sends again.
 */
public class MllpListener extends DefaultConsumer {

    /** Exchange property: the answer (ACK or NAK) as the bytes to send, without MLLP's frame bytes. */
    public static final String ANSWER = "vigilMllpAnswer";

    private static final Logger LOG = LoggerFactory.getLogger(MllpListener.class);
    private static final long WARN_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);
    private static final long BIND_WAIT_MS = 5000;
    private static final int BACKLOG = 256;
    /**
     * The kernel's send buffer of a connection: answers are ACKs of a few hundred bytes, so this holds hundreds of
     * them, where Linux's own sizing on loopback held about 20,000 that a sender left unread before
     * vigil.mllp.max-unacknowledged could count any.
     */
    private static final int SEND_BUFFER_BYTES = 64 * 1024;

    /** What route ingest-hl7 says of the listener. */
    public record Settings(String host, int port, int maxConnections, long idleTimeoutMs, int maxFrameBytes, int threads,
                           int maxUnacknowledged) {
    }

    private final Settings settings;
    private final DirectStore store;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong closedUnanswered = new AtomicLong();
    private final AtomicInteger heldNow = new AtomicInteger();
    private final AtomicLong holds = new AtomicLong();
    private final MinuteWarning refusalWarning = new MinuteWarning();
    private final MinuteWarning holdWarning = new MinuteWarning();
    private final List<Loop> loops = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private ServerSocketChannel server;
    private volatile boolean running;

    MllpListener(Endpoint endpoint, Processor processor, Settings settings, DirectStore store) {
        super(endpoint, processor);
        this.settings = settings;
        this.store = store;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        server = bind();
        running = true;
        int count = Math.max(1, settings.threads());
        for (int i = 0; i < count; i++) {
            Loop loop = new Loop(Selector.open());
            loops.add(loop);
            threads.add(start(loop, "vigil-mllp-" + settings.port() + "-" + (i + 1)));
        }
        threads.add(start(this::accept, "vigil-mllp-" + settings.port() + "-accept"));
        LOG.info("MLLP listener on {}:{} ({} threads, at most {} connections, each held at {} unacknowledged messages)",
                settings.host(), settings.port(), count, settings.maxConnections(), settings.maxUnacknowledged());
    }

    /** Binds, waiting up to 5 s for a port the previous run of the appliance may still hold. */
    private ServerSocketChannel bind() throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + BIND_WAIT_MS;
        while (true) {
            ServerSocketChannel channel = ServerSocketChannel.open();
            try {
                channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                channel.bind(new InetSocketAddress(settings.host(), settings.port()), BACKLOG);
                return channel;
            } catch (BindException e) {
                channel.close();
                if (System.currentTimeMillis() >= deadline) {
                    throw new BindException("MLLP port " + settings.host() + ":" + settings.port() + " (vigil.mllp.port): "
                            + e.getMessage());
                }
                Thread.sleep(100);
            }
        }
    }

    private static Thread start(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    @Override
    protected void doStop() throws Exception {
        running = false;
        if (server != null) {
            server.close();
        }
        for (Loop loop : loops) {
            loop.selector.wakeup();
        }
        for (Thread thread : threads) {
            thread.join(5000);
        }
        loops.clear();
        threads.clear();
        super.doStop();
    }

    private void accept() {
        int next = 0;
        while (running) {
            SocketChannel channel;
            try {
                channel = server.accept();
            } catch (ClosedChannelException stopped) {
                return;
            } catch (IOException e) {
                if (running) {
                    // out of file descriptors, for one: wait a little instead of failing in a loop
                    LOG.warn("MLLP listener on port {}: accepting a connection failed: {}", settings.port(), e.toString());
                    pause();
                }
                continue;
            }
            if (open.get() >= settings.maxConnections()) {
                refuse(channel);
                continue;
            }
            Loop loop = null;
            for (int tried = 0; tried < loops.size() && loop == null; tried++) {
                Loop candidate = loops.get(next++ % loops.size());
                loop = candidate.alive ? candidate : null;
            }
            if (loop == null) {
                LOG.error("MLLP listener on port {}: no listener thread is running; connection closed", settings.port());
                closeQuietly(channel);
                continue;
            }
            open.incrementAndGet();
            loop.arrive(channel);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closed either way
        }
    }

    private void refuse(SocketChannel channel) {
        closeQuietly(channel);
        long total = refused.incrementAndGet();
        long since = refusalWarning.due(total);
        if (since > 0) {
            LOG.warn("{} MLLP connection(s) refused on port {} since {}: all {} connections of vigil.mllp.max-connections "
                            + "were in use (raise it, or look for a sender that reconnects in a loop)",
                    since, settings.port(), since == total ? "the start" : "the last warning", settings.maxConnections());
        }
    }

    /** A count said in a warning at most once a minute: how many since the last warning, when one is due. */
    private static final class MinuteWarning {
        private long warned;
        private long last = System.nanoTime() - WARN_EVERY_NANOS;

        /** How many of {@code total} came since the last warning when one is due now, else 0. */
        synchronized long due(long total) {
            long now = System.nanoTime();
            if (now - last < WARN_EVERY_NANOS) {
                return 0;
            }
            long since = total - warned;
            warned = total;
            last = now;
            return since;
        }
    }

    /** One thread's connections: read, cut into frames, each message through the route. */
    private final class Loop implements Runnable {
        private final Selector selector;
        private final Queue<SocketChannel> arriving = new ConcurrentLinkedQueue<>();
        /** Held connections whose senders have taken enough of their answers to go on. */
        private final Queue<MllpConnection> roomy = new ConcurrentLinkedQueue<>();
        private long lastIdleCheck = System.nanoTime();
        private volatile boolean alive = true;
        /** Whether this thread's stores complete (and its ACKs are written) on the journal's thread. */
        private boolean completesOnJournal;

        Loop(Selector selector) {
            this.selector = selector;
        }

        void arrive(SocketChannel channel) {
            arriving.add(channel);
            selector.wakeup();
        }

        void roomMade(MllpConnection connection) {
            roomy.add(connection);
            selector.wakeup();
        }

        private MllpConnection connection(SocketChannel channel) {
            return new MllpConnection(channel, settings.maxFrameBytes(), settings.maxUnacknowledged(), heldNow,
                    open::decrementAndGet, this::roomMade);
        }

        @Override
        public void run() {
            try {
                while (running) {
                    selector.select(1000);
                    register();
                    resume();
                    long now = System.nanoTime();
                    for (SelectionKey key : selector.selectedKeys()) {
                        MllpConnection connection = (MllpConnection) key.attachment();
                        try {
                            if (key.isValid() && key.isWritable()) {
                                connection.flush();
                            }
                            if (key.isValid() && key.isReadable()) {
                                read(connection, now);
                            }
                        } catch (CancelledKeyException closedMeanwhile) {
                            connection.close(); // closed by an answer that could not be written
                        } catch (RuntimeException e) {
                            LOG.error("MLLP connection on port {} closed: {}", settings.port(), e.toString(), e);
                            connection.close();
                        }
                    }
                    selector.selectedKeys().clear();
                    closeIdle(now);
                }
            } catch (IOException | RuntimeException e) {
                if (running) {
                    LOG.error("MLLP listener thread {} stopped: {}", Thread.currentThread().getName(), e.toString(), e);
                }
            } finally {
                alive = false;
                for (SelectionKey key : selector.keys()) {
                    ((MllpConnection) key.attachment()).close();
                }
                for (SocketChannel channel; (channel = arriving.poll()) != null; ) {
                    connection(channel).close();
                }
                try {
                    selector.close();
                } catch (IOException ignored) {
                    // stopping
                }
            }
        }

        private void register() {
            for (SocketChannel channel; (channel = arriving.poll()) != null; ) {
                MllpConnection connection = connection(channel);
                try {
                    channel.configureBlocking(false);
                    channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    channel.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
                    channel.setOption(StandardSocketOptions.SO_SNDBUF, SEND_BUFFER_BYTES);
                    connection.registered(channel.register(selector, SelectionKey.OP_READ, connection));
                } catch (IOException e) {
                    connection.close();
                }
            }
        }

        private void read(MllpConnection connection, long now) {
            MllpFrames frames = connection.frames();
            ByteBuffer room = frames.room();
            if (room == null) {
                LOG.warn("MLLP connection on port {} closed: a frame exceeded vigil.mllp.max-frame-bytes ({} bytes)",
                        settings.port(), settings.maxFrameBytes());
                connection.close();
                return;
            }
            int count;
            try {
                count = connection.channel().read(room);
            } catch (IOException reset) {
                connection.close();
                return;
            }
            if (count < 0) {
                connection.close();
                return;
            }
            connection.read(now);
            frames.filled(count);
            take(connection);
        }

        /** Held connections with room again: their frames already read first, then reading goes on. */
        private void resume() {
            for (MllpConnection connection; (connection = roomy.poll()) != null; ) {
                if (!connection.isClosed() && !take(connection)) {
                    connection.release();
                }
            }
        }

        /**
         * Processes the whole frames read so far, until the connection owes {@code maxUnacknowledged} answers: then it
         * is held (true), and the rest waits until its sender has taken half of them.
         */
        private boolean take(MllpConnection connection) {
            MllpFrames frames = connection.frames();
            long outsideBefore = frames.outside();
            boolean held = false;
            while (!connection.isClosed()) { // after a frame left unanswered, the rest waits for the sender's resend
                if (connection.hold()) {
                    held = true;
                    countHold();
                    break;
                }
                byte[] frame = frames.next();
                if (frame == null) {
                    break;
                }
                if (!completesOnJournal) {
                    completesOnJournal = store.completeOnJournalThread();
                }
                process(connection, frame);
            }
            if (frames.outside() > outsideBefore) {
                LOG.warn("MLLP connection on port {}: {} byte(s) outside an MLLP frame ignored", settings.port(),
                        frames.outside() - outsideBefore);
            }
            return held;
        }

        private void closeIdle(long now) {
            if (now - lastIdleCheck < TimeUnit.SECONDS.toNanos(1)) {
                return;
            }
            lastIdleCheck = now;
            long idle = TimeUnit.MILLISECONDS.toNanos(settings.idleTimeoutMs());
            for (SelectionKey key : selector.keys()) {
                MllpConnection connection = (MllpConnection) key.attachment();
                if (connection.idle(now, idle)) {
                    connection.close();
                }
            }
        }
    }

    /** Counts a connection held, and says so at most once a minute. */
    private void countHold() {
        long total = holds.incrementAndGet();
        long since = holdWarning.due(total);
        if (since > 0) {
            LOG.warn("MLLP connection(s) on port {} held {} time(s) since {}: each had sent {} messages "
                            + "(vigil.mllp.max-unacknowledged) without reading their ACKs; Vigil reads more from it once "
                            + "its sender has read half of them ({} held now)", settings.port(), since,
                    since == total ? "the start" : "the last warning", settings.maxUnacknowledged(), heldNow.get());
        }
    }

    /** Runs the route on one message and has its answer written once what the route stored is on disk. */
    private void process(MllpConnection connection, byte[] frame) {
        Exchange exchange = createExchange(false);
        connection.expectAnswer();
        try {
            exchange.getIn().setBody(frame);
            exchange.setProperty(StoreComponent.DISK_AWAITED_BY_CONSUMER, Boolean.TRUE);
            try {
                getProcessor().process(exchange);
            } catch (Exception e) {
                exchange.setException(e);
            }
            byte[] answer = exchange.getException() == null ? exchange.getProperty(ANSWER, byte[].class) : null;
            if (answer == null) {
                closedUnanswered.incrementAndGet();
                LOG.error("MLLP message of {} bytes left without an answer by route {} ({}); connection closed so that "
                                + "its sender sends it again", frame.length, exchange.getFromRouteId(),
                        exchange.getException() == null ? "no " + ANSWER : exchange.getException().toString());
                connection.giveUp();
                return;
            }
            byte[] framed = new byte[answer.length + 3];
            framed[0] = MllpFrames.START;
            System.arraycopy(answer, 0, framed, 1, answer.length);
            framed[answer.length + 1] = MllpFrames.END;
            framed[answer.length + 2] = MllpFrames.CR;
            store.afterStored(() -> connection.answer(framed), failure -> {
                closedUnanswered.incrementAndGet();
                LOG.error("MLLP message not confirmed on disk ({}); connection closed unanswered so that its sender "
                        + "sends it again", failure);
                connection.giveUp();
            });
        } finally {
            releaseExchange(exchange, false);
        }
    }

    /** Connections open now. */
    public int open() {
        return open.get();
    }

    /** Connections held now: each owes vigil.mllp.max-unacknowledged answers its sender has not read. */
    public int held() {
        return heldNow.get();
    }

    /** Times so far a connection was held. */
    public long holds() {
        return holds.get();
    }

    /** Connections refused so far because all vigil.mllp.max-connections were in use. */
    public long refused() {
        return refused.get();
    }

    /** Connections closed so far because a message could not be answered (no answer, or not stored). */
    public long closedUnanswered() {
        return closedUnanswered.get();
    }
}
