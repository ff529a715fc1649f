package io.vigil.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.rest.api.CacheControlDirective;
import ca.uhn.fhir.rest.api.SummaryEnum;
import io.vigil.broker.QueueDepths;
import io.vigil.console.Latencies;
import io.vigil.delivery.EhrDelivery;
import io.vigil.support.ApplianceTestSupport;
import io.vigil.support.FaultyLink;
import io.vigil.support.FhirTestServer;
import io.vigil.support.Samples;
import io.vigil.support.TestPipeline;
import java.time.Duration;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Batch delivery (vigil.ehr.batch) against the real HAPI FHIR JPA server: bundles that waited while the EHR hung
 * go in merged transactions (fewer requests than bundles), every Observation arrives once, each patient once.
 */
@SpringBootTest(properties = {"vigil.ehr.timeout=2s", "vigil.delivery.initial-delay-ms=500", "vigil.delivery.max-delay-ms=1000",
        "vigil.delivery.max-redeliveries=100", "vigil.ehr.batch.max-bundles=25", "vigil.ehr.batch.window=300ms"})
@DirtiesContext
class BatchDeliveryIT {

    private static final int PATIENTS = 3;
    private static final int MESSAGES_EACH = 10;
    private static FaultyLink link;
    private static ApplianceTestSupport.Ports ports;

    @DynamicPropertySource
    static void setup(DynamicPropertyRegistry registry) throws Exception {
        link = FaultyLink.toFhirTestServer();
        ports = ApplianceTestSupport.register(registry, link.fhirBaseUrl());
    }

    @AfterAll
    static void close() throws Exception {
        link.close();
    }

    @Autowired
    QueueDepths depths;

    @Autowired
    EhrDelivery delivery;

    @Autowired
    Latencies latencies;

    @Test
    void bundlesWaitingForTheEhrShouldGoInMergedTransactionsAndArriveOnce() throws Exception {
        link.mode(FaultyLink.Mode.HANG);
        String sample = Samples.hl7("04");
        for (int i = 0; i < MESSAGES_EACH; i++) {
            for (int p = 0; p < PATIENTS; p++) {
                String hl7 = sample.replace("HO2009001^^^NIST", "BATCH-" + p + "^^^NIST")
                        .replace("0104ef190d604db188c3", "batch-" + p + "-" + i);
                assertThat(ApplianceTestSupport.sendHl7(ports.mllp(), hl7)).contains("MSA|AA");
            }
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> depths.of("vigil.delivery.ehr") >= PATIENTS * MESSAGES_EACH - 1);
        long attemptsBefore = delivery.getFailedAttempts();

        link.mode(FaultyLink.Mode.UP);
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                .until(() -> delivery.getDelivered() == PATIENTS * MESSAGES_EACH);

        assertThat(delivery.getBatches()).as("transactions that carried several bundles").isGreaterThan(0);
        for (int p = 0; p < PATIENTS; p++) {
            assertThat(observationsOf("BATCH-" + p)).as("Observations of patient BATCH-" + p).isEqualTo(2 * MESSAGES_EACH);
            assertThat(patients("BATCH-" + p)).isEqualTo(1);
        }
        assertThat(depths.of("vigil.delivery.ehr") + depths.of("vigil.delivery.ehr.DLQ")).isZero();
        assertThat(latencies.getDelivered()).isEqualTo(PATIENTS * MESSAGES_EACH);
        int perMessage = TestPipeline.extract(sample).observations().size();
        assertThat(latencies.snapshot().get("observationsDelivered")).as("observations in the delivered bundles")
                .isEqualTo((long) PATIENTS * MESSAGES_EACH * perMessage);
        System.out.printf("batch delivery: %d bundles delivered, %d merged transactions, %d failed attempts while the EHR hung%n",
                delivery.getDelivered(), delivery.getBatches(), attemptsBefore);
    }

    private int observationsOf(String patientId) {
        Bundle count = ApplianceTestSupport.fhirClient(FhirTestServer.baseUrl()).search().forResource(Observation.class)
                .where(Observation.SUBJECT.hasChainedProperty(Patient.IDENTIFIER.exactly()
                        .systemAndIdentifier("urn:vigil:id:NIST", patientId)))
                .summaryMode(SummaryEnum.COUNT).cacheControl(new CacheControlDirective().setNoCache(true))
                .returnBundle(Bundle.class).execute();
        return count.getTotal();
    }

    private int patients(String patientId) {
        Bundle count = ApplianceTestSupport.fhirClient(FhirTestServer.baseUrl()).search().forResource(Patient.class)
                .where(Patient.IDENTIFIER.exactly().systemAndIdentifier("urn:vigil:id:NIST", patientId))
                .summaryMode(SummaryEnum.COUNT).cacheControl(new CacheControlDirective().setNoCache(true))
                .returnBundle(Bundle.class).execute();
        return count.getTotal();
    }
}
