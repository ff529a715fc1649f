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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The load tool's MLLP sender against a listener on loopback that answers as told: frames written whole, ACKs read
 * whatever pieces they arrive in, and a closed connection or an overdue ACK failing the send instead of hanging it.
 */
class MllpClientTest {

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

    @Test
    void shouldSendFramesAndReadAcksArrivingInPieces() throws Exception {
        byte[] whole = ("junk\u000b" + ACK + "\u001c\r").getBytes(StandardCharsets.ISO_8859_1);
        int port = listen(3, List.of(Arrays.copyOfRange(whole, 0, 7), Arrays.copyOfRange(whole, 7, whole.length - 1),
                Arrays.copyOfRange(whole, whole.length - 1, whole.length)), false);
        String message = "MSH|^~\\&|MONITOR|||||||ORU^R01|1|P|2.6\rOBX|1|NM|150456^MDC_PULS_OXIM_SAT_O2^MDC||97|%^^UCUM\r";
        byte[] large = ("MSH|^~\\&|" + "x".repeat(40_000)).getBytes(StandardCharsets.UTF_8);
        try (MllpClient client = new MllpClient("127.0.0.1", port)) {
            assertThat(client.send(message.getBytes(StandardCharsets.UTF_8))).isEqualTo(ACK);
            assertThat(client.send(large)).isEqualTo(ACK);
            assertThat(client.send(message.getBytes(StandardCharsets.UTF_8))).isEqualTo(ACK);
        }
        assertThat(received).hasSize(3);
        assertThat(received.get(0)).isEqualTo("\u000b" + message);
        assertThat(received.get(1)).hasSize(large.length + 1);
    }

    @Test
    void shouldFailWhenTheConnectionClosesBeforeTheAck() throws Exception {
        int port = listen(1, List.of("\u000bMSH|partial".getBytes(StandardCharsets.ISO_8859_1)), true);
        try (MllpClient client = new MllpClient("127.0.0.1", port)) {
            assertThatThrownBy(() -> client.send("MSH|x".getBytes(StandardCharsets.UTF_8)))
                    .isInstanceOf(IOException.class).hasMessage("connection closed inside the acknowledgement");
        }
    }

    @Test
    void shouldGiveUpOnAnAckThatDoesNotCome() throws Exception {
        int port = listen(1, List.of(), false);
        try (MllpClient client = new MllpClient("127.0.0.1", port, TimeUnit.MILLISECONDS.toNanos(1500))) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> client.send("MSH|x".getBytes(StandardCharsets.UTF_8)))
                    .isInstanceOf(SocketTimeoutException.class).hasMessageContaining("1500 ms");
            assertThat(System.nanoTime() - start).isBetween(TimeUnit.MILLISECONDS.toNanos(1500), TimeUnit.SECONDS.toNanos(10));
        }
    }
}
