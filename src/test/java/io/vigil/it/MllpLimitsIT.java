package io.vigil.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.ingest.MllpConnections;
import io.vigil.support.ApplianceTestSupport;
import io.vigil.support.Samples;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.component.mllp.MllpTcpServerConsumer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * An HL7 message above vigil.mllp.max-message-bytes is refused with a NAK and not stored; the listener goes on.
 * Connections above vigil.mllp.max-connections are refused, counted and not kept.
 */
@SpringBootTest(properties = {"vigil.mllp.max-message-bytes=1048576", "vigil.mllp.max-connections=2"})
@DirtiesContext
class MllpLimitsIT {

    private static ApplianceTestSupport.Ports ports;

    @Autowired
    MllpConnections connections;
    @Autowired
    CamelContext camel;

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
    void connectionsAboveTheLimitShouldBeRefusedCountedAndNotKept() throws Exception {
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

        // the sweep runs every second and takes what is closed and at least 2 s old
        Awaitility.await().atMost(Duration.ofSeconds(15))
                .until(() -> connections.getRefused() - refusedBefore == 40);
        assertThat(connections.getOpen()).isEqualTo(2);
        assertThat(camel.getRoutes()).map(Route::getConsumer).filteredOn(MllpTcpServerConsumer.class::isInstance)
                .singleElement().satisfies(c -> assertThat(((MllpTcpServerConsumer) c).getConsumerRunnables()).hasSize(2));
        for (Socket socket : held) {
            socket.close();
        }
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> connections.getOpen() == 0);
        assertThat(ApplianceTestSupport.sendHl7(ports.mllp(), Samples.hl7("04").replace("0104ef190d604db188c3", "after-refusals")))
                .contains("MSA|AA|after-refusals");
    }

    /** True when the appliance closed or reset the connection without sending anything. */
    private static boolean readUntilClosed(Socket socket) {
        try {
            return socket.getInputStream().read() == -1;
        } catch (IOException reset) {
            return true;
        }
    }
}
