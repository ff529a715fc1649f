package io.vigil.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.broker.QueueDepths;
import io.vigil.delivery.EhrDelivery;
import io.vigil.support.ApplianceTestSupport;
import io.vigil.support.Samples;
import io.vigil.support.ScriptedEhr;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Three bundles of one patient sent within the batch window go to the EHR as one merged transaction; when the EHR
 * refuses it (422) they are resent one at a time, and only the one the EHR refuses again waits on the dead-letter
 * queue with the reason; the others are delivered.
 */
@SpringBootTest(properties = {"vigil.ehr.batch.max-bundles=3", "vigil.ehr.batch.window=5s",
        "vigil.delivery.initial-delay-ms=200", "vigil.delivery.max-redeliveries=0"})
@DirtiesContext
class BatchRefusedIT {

    private static ScriptedEhr ehr;
    private static ApplianceTestSupport.Ports ports;

    @DynamicPropertySource
    static void setup(DynamicPropertyRegistry registry) throws Exception {
        ehr = new ScriptedEhr();
        ports = ApplianceTestSupport.register(registry, ehr.baseUrl());
    }

    @AfterAll
    static void close() {
        ehr.close();
    }

    @Autowired
    QueueDepths depths;

    @Autowired
    EhrDelivery delivery;

    @Test
    void aRefusedMergeShouldBeResentBundleByBundleAndOnlyTheRefusedOneDeadLettered() throws Exception {
        // the merged transaction, then the three bundles alone: accepted, refused, accepted
        ehr.answer(422, 200, 422, 200);
        String sample = Samples.hl7("04").replace("HO2009001^^^NIST", "REFUSED-MERGE^^^NIST");
        for (int i = 0; i < 3; i++) {
            assertThat(ApplianceTestSupport.sendHl7(ports.mllp(), sample.replace("0104ef190d604db188c3", "merge-" + i)))
                    .contains("MSA|AA");
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> ehr.requests() >= 4 && depths.of("vigil.delivery.ehr") == 0);

        assertThat(ehr.bodies().get(0)).as("first request: the merged transaction")
                .contains("merge-0").contains("merge-1").contains("merge-2");
        assertThat(ehr.requests()).isEqualTo(4);
        assertThat(delivery.getDelivered()).isEqualTo(2);
        await().atMost(Duration.ofSeconds(10)).until(() -> depths.of("vigil.delivery.ehr.DLQ") == 1);
    }
}
