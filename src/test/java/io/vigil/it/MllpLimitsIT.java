package io.vigil.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.ingest.Hl7Ingest;
import io.vigil.ingest.MllpConnections;
import io.vigil.support.ApplianceTestSupport;
import io.vigil.support.Samples;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * An HL7 message above vigil.mllp.max-message-bytes is refused with a NAK and not stored; the listener goes on.
 * A frame beyond vigil.mllp.max-frame-bytes closes its connection unanswered. Connections above
 * vigil.mllp.max-connections are refused, counted and not kept. Messages sent without waiting are answered in order;
 * a sender that reads no ACKs is held at vigil.mllp.max-unacknowledged and served again as it reads them.
 */
@SpringBootTest(properties = {"vigil.mllp.max-message-bytes=1048576", "vigil.mllp.max-frame-bytes=4194304",
        "vigil.mllp.max-connections=2", "vigil.mllp.max-unacknowledged=10"})
@DirtiesContext
class MllpLimitsIT {

    private static ApplianceTestSupport.Ports ports;

    @Autowired
    MllpConnections connections;

    @Autowired
    Hl7Ingest hl7;

    @DynamicPropertySource
    static void setup(DynamicPropertyRegistry registry) {
        ports = ApplianceTestSupport.register(registry, null);
    }

    @Test
    void aMessageAboveTheLimitShouldBeRefusedAndTheNextOneServed() throws Exception {
        String big = Samples.hl7("04").replace("0104ef190d604db188c3", "too-big") + "\rNTE|1||" + "X".repeat(2 * 1024 * 1024);

        String nak = ApplianceTestSupport.sendHl7(ports.mllp(), big);

        assertThat(nak).contains("MSA|AR|too-big").contains("VIGIL-HL7-011");
        assertThat(ApplianceTestSupport.sendHl7(ports.mllp(), Samples.hl7("04").replace("0104ef190d604db188c3", "after-big")))
                .contains("MSA|AA|after-big");
    }

    @Test
    void aFrameBeyondTheFrameLimitShouldCloseItsConnectionAndTheNextOneBeServed() throws Exception {
        byte[] huge = new byte[5 * 1024 * 1024];
        Arrays.fill(huge, (byte) 'X');
        huge[0] = 0x0b;
        try (Socket socket = new Socket("127.0.0.1", ports.mllp())) {
            socket.setSoTimeout(30_000);
            try {
                socket.getOutputStream().write(huge); // no end: the frame only grows
                socket.getOutputStream().flush();
            } catch (IOException closedWhileWriting) {
                // the appliance closed the connection before all of it was sent
            }
            assertThat(readUntilClosed(socket)).isTrue();
        }

        assertThat(ApplianceTestSupport.sendHl7(ports.mllp(), Samples.hl7("04").replace("0104ef190d604db188c3", "after-huge")))
                .contains("MSA|AA|after-huge");
    }

    @Test
    void connectionsAboveTheLimitShouldBeRefusedCountedAndNotKept() throws Exception {
        // the connections of the other tests closed: the listener has seen them go
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> connections.getOpen() == 0);
        long refusedBefore = connections.getRefused();
        List<Socket> held = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            held.add(new Socket("127.0.0.1", ports.mllp()));
        }
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> connections.getOpen() == 2);
        for (int i = 0; i < 40; i++) {
            try (Socket refused = new Socket("127.0.0.1", ports.mllp())) {
                refused.setSoTimeout(10_000);
                assertThat(readUntilClosed(refused)).isTrue();
            }
        }

        Awaitility.await().atMost(Duration.ofSeconds(15))
                .until(() -> connections.getRefused() - refusedBefore == 40);
        assertThat(connections.getOpen()).isEqualTo(2);
        for (Socket socket : held) {
            socket.close();
        }
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> connections.getOpen() == 0);
        assertThat(ApplianceTestSupport.sendHl7(ports.mllp(), Samples.hl7("04").replace("0104ef190d604db188c3", "after-refusals")))
                .contains("MSA|AA|after-refusals");
    }

    @Test
    void messagesSentWithoutWaitingShouldBeAnsweredInTheirOrder() throws Exception {
        String sample = Samples.hl7("04");
        ByteArrayOutputStream pipelined = new ByteArrayOutputStream();
        pipelined.write("stray bytes\r\n".getBytes(StandardCharsets.ISO_8859_1));
        for (int i = 0; i < 30; i++) {
            // every third one is not an HL7 message: a NAK, not stored, which must keep its place among the ACKs
            String text = i % 3 == 2 ? "PID|||not-a-message-" + i : sample.replace("0104ef190d604db188c3", "order-" + i);
            byte[] body = text.getBytes(StandardCharsets.ISO_8859_1);
            pipelined.write(0x0b);
            pipelined.write(body);
            pipelined.write(new byte[] {0x1c, 0x0d});
        }
        try (Socket socket = new Socket("127.0.0.1", ports.mllp())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(pipelined.toByteArray());
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            for (int i = 0; i < 30; i++) {
                String answer = readFrame(in);
                if (i % 3 == 2) {
                    assertThat(answer).as("answer %d", i).contains("MSA|AR").contains("VIGIL-HL7-001");
                } else {
                    assertThat(answer).as("answer %d", i).contains("MSA|AA|order-" + i + "\r");
                }
            }
        }
    }

    @Test
    void aSenderThatReadsNoAcksShouldBeHeldAndServedAgainAsItReadsThem() throws Exception {
        // sample 04 with its blood pressure alone (about 700 bytes): twenty of them are read from the socket at once
        String sample = Arrays.stream(Samples.hl7("04").split("\r"))
                .filter(segment -> !segment.startsWith("OBX|") || segment.startsWith("OBX|4|"))
                .collect(Collectors.joining("\r"));
        // a burst of messages is held for a moment while its answers wait for the disk (they are owed too): let those
        // of the other tests' bursts end first
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> connections.getHeld() == 0);
        long holdsBefore = connections.getHolds();
        int unread = 0;
        for (int round = 1; unread == 0; round++) {
            assertThat(round).as("rounds until the connection was held with messages read and not taken").isLessThan(6);
            long acceptedBefore = hl7.getAccepted();
            try (Socket socket = new Socket()) {
                socket.setReceiveBufferSize(4096); // a small window: fewer answers wait in the sockets' buffers
                socket.connect(new InetSocketAddress("127.0.0.1", ports.mllp()));
                socket.setSoTimeout(30_000);
                // twenty messages at a time, each twenty taken before the next are sent, and no ACK read: the answers
                // fill the sockets' buffers (a few hundred), then vigil.mllp.max-unacknowledged (10) are owed and the
                // connection is held for good, most likely with some of its last twenty read and not taken
                int sent = 0;
                while (!heldFor(Duration.ofMillis(500))) {
                    assertThat(sent).as("messages sent without the connection being held").isLessThan(5000);
                    ByteArrayOutputStream twenty = new ByteArrayOutputStream();
                    for (int i = 0; i < 20; i++) {
                        twenty.write(frame(sample.replace("0104ef190d604db188c3", "unread-" + (sent + i))));
                    }
                    socket.getOutputStream().write(twenty.toByteArray());
                    sent += 20;
                    int expected = sent;
                    Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(1))
                            .until(() -> hl7.getAccepted() - acceptedBefore == expected || connections.getHeld() == 1);
                }
                Thread.sleep(1000);
                long taken = hl7.getAccepted() - acceptedBefore;
                Thread.sleep(1000);
                assertThat(hl7.getAccepted() - acceptedBefore).as("taken while held").isEqualTo(taken).isLessThanOrEqualTo(sent);
                assertThat(connections.getHeld()).isEqualTo(1);
                assertThat(connections.getHolds()).isGreaterThan(holdsBefore);
                unread = sent - (int) taken;

                // read: every message answered in order, those read and not taken too, which the listener takes once
                // its sender has read half of what it owed, with nothing more to read from the socket
                InputStream in = new BufferedInputStream(socket.getInputStream());
                for (int i = 0; i < sent; i++) {
                    assertThat(readFrame(in)).as("answer %d of %d", i, sent).contains("MSA|AA|unread-" + i + "\r");
                }
                assertThat(hl7.getAccepted() - acceptedBefore).isEqualTo(sent);
                assertThat(connections.getHeld()).isZero();
            }
        }
    }

    /** Whether a connection is held and stays held for {@code time} (not a burst's moment of waiting for the disk). */
    private boolean heldFor(Duration time) throws InterruptedException {
        long until = System.nanoTime() + time.toNanos();
        while (System.nanoTime() < until) {
            if (connections.getHeld() == 0) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }

    private static byte[] frame(String message) throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(0x0b);
        frame.write(message.getBytes(StandardCharsets.ISO_8859_1));
        frame.write(new byte[] {0x1c, 0x0d});
        return frame.toByteArray();
    }

    /** One frame's content, read up to its end bytes. */
    private static String readFrame(InputStream in) throws IOException {
        StringBuilder out = new StringBuilder();
        int b;
        while ((b = in.read()) != 0x1c) {
            if (b == -1) {
                throw new IOException("closed after " + out.length() + " characters");
            }
            if (b != 0x0b) {
                out.append((char) b);
            }
        }
        assertThat(in.read()).isEqualTo(0x0d);
        return out.toString();
    }

    /** True when the appliance closed or reset the connection without sending anything. */
    private static boolean readUntilClosed(Socket socket) {
        try {
            return socket.getInputStream().read() == -1;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }
}
