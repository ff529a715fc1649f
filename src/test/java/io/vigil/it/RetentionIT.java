package io.vigil.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.broker.QueueDepths;
import io.vigil.delivery.Retention;
import io.vigil.governance.AuditTrail;
import io.vigil.support.ApplianceTestSupport;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Waiting messages older than the retention are purged, the younger kept, and every purge is audited. */
@SpringBootTest(properties = {"vigil.retention.max-age=3s", "vigil.retention.check-interval=1h"})
@DirtiesContext
class RetentionIT {

    private static ApplianceTestSupport.Ports ports;

    @DynamicPropertySource
    static void setup(DynamicPropertyRegistry registry) {
        ports = ApplianceTestSupport.register(registry, null);
    }

    @Autowired
    Retention retention;

    @Autowired
    AuditTrail audit;

    @Autowired
    QueueDepths depths;

    @Test
    void messagesOlderThanTheRetentionShouldBePurgedAndThePurgeAudited() throws Exception {
        ApplianceTestSupport.publishMqtt(ports.mqtt(), "vigil/devices/OLD1/observations", "{\"observations\": 1}");
        ApplianceTestSupport.publishMqtt(ports.mqtt(), "vigil/vendors/nobody/dev-1", "{\"unknown\": \"shape\"}");
        await().atMost(Duration.ofSeconds(30)).until(() -> depths.of("vigil.quarantine") == 1 && depths.of("vigil.quarantine.mapping") == 1);
        Thread.sleep(3500);
        ApplianceTestSupport.publishMqtt(ports.mqtt(), "vigil/devices/NEW1/observations", "{\"observations\": 2}");
        await().atMost(Duration.ofSeconds(30)).until(() -> depths.of("vigil.quarantine") == 2);

        Map<String, Long> purged = retention.purge();

        assertThat(purged).containsEntry("vigil.quarantine", 1L).containsEntry("vigil.quarantine.mapping", 1L).hasSize(2);
        assertThat(depths.of("vigil.quarantine")).isEqualTo(1);
        assertThat(depths.of("vigil.quarantine.mapping")).isZero();
        assertThat(audit.latest(10)).filteredOn(line -> line.contains("\"destroy\"")).hasSize(2)
                .anySatisfy(line -> assertThat(line).contains("1 message(s) stored before").contains("vigil.quarantine.mapping"));
        assertThat(retention.purge()).isEmpty();
    }
}
