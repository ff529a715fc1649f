package io.vigil.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The load tool's MLLP senders against listeners on loopback that answer as told: frames written whole, ACKs read
 * whatever pieces they arrive in, a closed connection, an overdue ACK or a refused connection failing the send instead
 * of hanging it, and many connections served by one thread, each answered in its order.
 */
class MllpSendersTest {

    private static final String ACK = "MSH|^~\\&|VIGIL|||||||ACK|1|P|2.6\rMSA|AA|1\r";

    private ServerSocket server;
    private final List<String> received = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    /**
     * A listener for one connection: reads each frame, then answers with {@code answer}'s pieces, flushed apart; then
     * hangs up, or holds the connection open answering nothing more.
     */
    private int listen(int frames, List<byte[]> answer, boolean hangUp) throws IOException {
        server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Thread thread = new Thread(() -> {
            try (Socket socket = server.accept()) {
                InputStream in = socket.getInputStream();
                OutputStream out = socket.getOutputStream();
                for (int f = 0; f < frames; f++) {
                    ByteArrayOutputStream frame = new ByteArrayOutputStream();
                    int b;
                    while ((b = in.read()) != 0x1c) {
                        if (b < 0) {
                            return;
                        }
                        frame.write(b);
                    }
                    in.read(); // CR
                    received.add(frame.toString(StandardCharsets.UTF_8));
                    for (byte[] piece : answer) {
                        out.write(piece);
                        out.flush();
                        Thread.sleep(5);
                    }
                }
                if (!hangUp) {
                    Thread.sleep(10_000);
                }
            } catch (IOException | InterruptedException e) {
                // the test is over
            }
        });
        thread.setDaemon(true);
        thread.start();
        return server.getLocalPort();
    }

    /** Sends its messages one after the other as soon as each is answered, and notes what came back. */
    private static final class ListFeed implements MllpSenders.Feed {
        private final List<byte[]> messages;
        private int next;
        /** Every message is due from the feed's creation on. */
        private final long created = System.nanoTime();
        final List<String> answers = new CopyOnWriteArrayList<>();
        final List<Long> latencies = new CopyOnWriteArrayList<>();
        final List<IOException> failures = new CopyOnWriteArrayList<>();

        ListFeed(byte[]... messages) {
            this.messages = List.of(messages);
        }

        @Override
        public byte[] next(long now) {
            return next < messages.size() ? messages.get(next++) : null;
        }

        @Override
        public long dueAt() {
            return next < messages.size() ? created : System.nanoTime() + TimeUnit.HOURS.toNanos(1);
        }

        @Override
        public void answered(String ack, long latencyNanos) {
            answers.add(ack);
            latencies.add(latencyNanos);
        }

        @Override
        public void failed(IOException cause) {
            failures.add(cause);
        }

        boolean done() {
            return answers.size() + failures.size() >= messages.size();
        }
    }

    @Test
    void shouldSendFramesAndReadAcksArrivingInPieces() throws Exception {
        byte[] whole = ("junk\u000b" + ACK + "\u001c\r").getBytes(StandardCharsets.ISO_8859_1);
        int port = listen(3, List.of(Arrays.copyOfRange(whole, 0, 7), Arrays.copyOfRange(whole, 7, whole.length - 1),
                Arrays.copyOfRange(whole, whole.length - 1, whole.length)), false);
        String message = "MSH|^~\\&|MONITOR|||||||ORU^R01|1|P|2.6\rOBX|1|NM|150456^MDC_PULS_OXIM_SAT_O2^MDC||97|%^^UCUM\r";
        byte[] large = ("MSH|^~\\&|" + "x".repeat(40_000)).getBytes(StandardCharsets.UTF_8);
        ListFeed feed = new ListFeed(message.getBytes(StandardCharsets.UTF_8), large, message.getBytes(StandardCharsets.UTF_8));
        AtomicBoolean stop = new AtomicBoolean();
        MllpSenders senders = new MllpSenders("127.0.0.1", port, List.of(feed), stop::get);
        Thread thread = new Thread(senders);
        thread.start();
        awaitDone(feed);
        stop.set(true);
        thread.join(5000);
        assertThat(feed.failures).isEmpty();
        assertThat(feed.answers).containsExactly(ACK, ACK, ACK);
        // each answer came in three pieces 5 ms apart: the latency runs from the write to the last piece
        assertThat(feed.latencies).allSatisfy(l -> assertThat(l).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(10)));
        assertThat(received).hasSize(3);
        assertThat(received.get(0)).isEqualTo("\u000b" + message);
        assertThat(received.get(1)).hasSize(large.length + 1);
        assertThat(thread.isAlive()).isFalse();
    }

    @Test
    void shouldFailWhenTheConnectionClosesBeforeTheAck() throws Exception {
        int port = listen(1, List.of("\u000bMSH|partial".getBytes(StandardCharsets.ISO_8859_1)), true);
        ListFeed feed = new ListFeed("MSH|x".getBytes(StandardCharsets.UTF_8));
        AtomicBoolean stop = new AtomicBoolean();
        Thread thread = new Thread(new MllpSenders("127.0.0.1", port, List.of(feed), stop::get));
        thread.start();
        awaitDone(feed);
        stop.set(true);
        thread.join(5000);
        assertThat(feed.answers).isEmpty();
        assertThat(feed.failures).singleElement().isInstanceOf(IOException.class)
                .hasFieldOrPropertyWithValue("message", "connection closed inside the acknowledgement");
    }

    @Test
    void shouldGiveUpOnAnAckThatDoesNotCome() throws Exception {
        int port = listen(1, List.of(), false);
        ListFeed feed = new ListFeed("MSH|x".getBytes(StandardCharsets.UTF_8));
        AtomicBoolean stop = new AtomicBoolean();
        Thread thread = new Thread(new MllpSenders("127.0.0.1", port, List.of(feed), stop::get,
                TimeUnit.MILLISECONDS.toNanos(1500)));
        long start = System.nanoTime();
        thread.start();
        awaitDone(feed);
        long took = System.nanoTime() - start;
        stop.set(true);
        thread.join(5000);
        assertThat(feed.failures).singleElement().isInstanceOf(SocketTimeoutException.class)
                .extracting(Throwable::getMessage).asString().contains("1500 ms");
        assertThat(took).isBetween(TimeUnit.MILLISECONDS.toNanos(1500), TimeUnit.SECONDS.toNanos(10));
    }

    @Test
    void shouldFailAConnectionRefusedAndTryAgainLater() throws Exception {
        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }
        ListFeed feed = new ListFeed("MSH|x".getBytes(StandardCharsets.UTF_8));
        AtomicBoolean stop = new AtomicBoolean();
        Thread thread = new Thread(new MllpSenders("127.0.0.1", port, List.of(feed), stop::get));
        thread.start();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (feed.failures.size() < 2 && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        stop.set(true);
        thread.join(5000);
        // nothing was sent: each attempt, a second apart, fails, and the message waits for a connection
        assertThat(feed.failures).hasSizeGreaterThanOrEqualTo(2).allSatisfy(f -> assertThat(f).isInstanceOf(IOException.class));
        assertThat(feed.next).isZero();
        assertThat(feed.answers).isEmpty();
    }

    @Test
    void shouldServeManyConnectionsFromOneThread() throws Exception {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        int connections = 20;
        int perConnection = 25;
        Thread acceptor = new Thread(() -> {
            try {
                while (true) {
                    Socket socket = server.accept();
                    Thread answerer = new Thread(() -> answerAll(socket));
                    answerer.setDaemon(true);
                    answerer.start();
                }
            } catch (IOException e) {
                // the test is over
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        List<ListFeed> feeds = new java.util.ArrayList<>();
        for (int c = 0; c < connections; c++) {
            byte[][] messages = new byte[perConnection][];
            for (int m = 0; m < perConnection; m++) {
                messages[m] = ("MSH|^~\\&|MONITOR||||||ORU^R01|" + c + "-" + m + "|P|2.6\r").getBytes(StandardCharsets.UTF_8);
            }
            feeds.add(new ListFeed(messages));
        }
        AtomicBoolean stop = new AtomicBoolean();
        Thread thread = new Thread(new MllpSenders("127.0.0.1", server.getLocalPort(), List.copyOf(feeds), stop::get));
        thread.start();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!feeds.stream().allMatch(ListFeed::done) && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        stop.set(true);
        thread.join(5000);
        for (int c = 0; c < connections; c++) {
            ListFeed feed = feeds.get(c);
            assertThat(feed.failures).isEmpty();
            // each connection's answers in the order it sent: the listener echoes the control id
            List<String> expected = new java.util.ArrayList<>();
            for (int m = 0; m < perConnection; m++) {
                expected.add("MSA|AA|" + c + "-" + m);
            }
            assertThat(feed.answers).containsExactlyElementsOf(expected);
        }
        assertThat(received).hasSize(connections * perConnection);
    }

    /** Answers every frame on the socket with MSA|AA and the frame's control id (MSH-10), until it closes. */
    private void answerAll(Socket socket) {
        try (socket) {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            while (true) {
                ByteArrayOutputStream frame = new ByteArrayOutputStream();
                int b;
                while ((b = in.read()) != 0x1c) {
                    if (b < 0) {
                        return;
                    }
                    frame.write(b);
                }
                in.read(); // CR
                String text = frame.toString(StandardCharsets.UTF_8);
                received.add(text);
                String controlId = text.split("\\|")[9];
                out.write(("\u000bMSA|AA|" + controlId + "\u001c\r").getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            }
        } catch (IOException e) {
            // the test is over
        }
    }

    private static void awaitDone(ListFeed feed) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!feed.done() && System.nanoTime() < until) {
            Thread.sleep(10);
        }
    }
}
