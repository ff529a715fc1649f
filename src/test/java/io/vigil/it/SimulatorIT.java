package io.vigil.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.delivery.Outbox;
import io.vigil.support.ApplianceTestSupport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The demo profile: simulated beds fill the outbox through the appliance's real MLLP and MQTT listeners. */
@SpringBootTest(properties = {"vigil.simulator.beds=4", "vigil.simulator.interval=500ms"})
@ActiveProfiles("demo")
@DirtiesContext
class SimulatorIT {

    @DynamicPropertySource
    static void listeners(DynamicPropertyRegistry registry) {
        ApplianceTestSupport.register(registry, null);
    }

    @Autowired
    Outbox outbox;

    @Test
    void shouldFillTheOutboxFromBothProtocolsWithinAMinute() {
        // MLLP control ids are SIM<run>-<bed>-<n>, MQTT message ids SIMQ<run>-<bed>-<n>
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            List<String> names = outbox.list(1000).stream().map(Path::getFileName).map(Path::toString).toList();
            long mqtt = names.stream().filter(n -> n.contains("-SIMQ")).count();
            long mllp = names.stream().filter(n -> n.contains("-SIM") && !n.contains("-SIMQ")).count();
            return mllp >= 2 && mqtt >= 2;
        });
        assertThat(outbox.count()).isGreaterThanOrEqualTo(4);
    }
}
