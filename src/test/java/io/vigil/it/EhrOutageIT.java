package io.vigil.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.rest.api.CacheControlDirective;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import io.vigil.broker.QueueDepths;
import io.vigil.support.ApplianceTestSupport;
import io.vigil.support.FaultyLink;
import io.vigil.support.FhirTestServer;
import io.vigil.support.Samples;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
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
 * 1,000 PCD-01 messages over MLLP while the EHR (the real HAPI FHIR JPA server, behind a TCP link the test
 * breaks) answers HTTP 500 for 10 s, then accepts connections and never answers for 10 s, then refuses
 * connections for 30 s: after it returns, every ACKed message is charted exactly once. While it is away no message
 * is held back for the bundles waiting meanwhile, far more than the backlog limit: the EHR, not the appliance, is
 * why they wait.
 */
@SpringBootTest(properties = {
        "vigil.ehr.timeout=2s",
        "vigil.delivery.max-redeliveries=50",
        "vigil.delivery.initial-delay-ms=500",
        "vigil.delivery.max-delay-ms=4000",
        // far below what waits during the outage: a failing or slow EHR must not hold ingest back
        "vigil.delivery.backlog-limit=50"})
@DirtiesContext
class EhrOutageIT {

    private static final int MESSAGES = 1000;
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
    io.vigil.delivery.EhrDelivery delivery;

    @Autowired
    io.vigil.delivery.DeliveryBacklog backlog;

    @Test
    void shouldChartEveryAckedMessageOnceAfter500sTimeoutsAndA30SecondOutage() throws Exception {
        AtomicInteger acked = new AtomicInteger();
        String template = Samples.hl7("04").replace("HO2009001^^^NIST", "OUTAGE-1^^^NIST");
        Thread sender = new Thread(() -> {
            for (int i = 0; i < MESSAGES; i++) {
                try {
                    String ack = ApplianceTestSupport.sendHl7(ports.mllp(), template.replace("0104ef190d604db188c3", "outage-" + i));
                    if (ack.contains("MSA|AA")) {
                        acked.incrementAndGet();
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        });
        sender.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> acked.get() >= 100);
        link.mode(FaultyLink.Mode.ERROR);   // the EHR answers 500
        long heldBackBefore = backlog.getWaits();
        Thread.sleep(10_000);
        link.mode(FaultyLink.Mode.HANG);    // then times out
        Thread.sleep(10_000);
        link.mode(FaultyLink.Mode.DOWN);    // then is down for 30 s
        Thread.sleep(30_000);
        long waitingAtTheEnd = depths.of("vigil.delivery.ehr");
        long heldBackDuring = backlog.getWaits() - heldBackBefore;
        link.mode(FaultyLink.Mode.UP);
        sender.join(Duration.ofMinutes(5).toMillis());

        assertThat(acked.get()).isEqualTo(MESSAGES);
        assertThat(waitingAtTheEnd).as("bundles waiting for the EHR at the end of the outage").isGreaterThan(50);
        assertThat(heldBackDuring).as("messages held back for the delivery backlog during the outage").isZero();
        await().atMost(Duration.ofMinutes(6)).pollInterval(Duration.ofSeconds(2))
                .until(() -> depths.of("vigil.observations") + depths.of("vigil.delivery.ehr") == 0);
        assertThat(depths.of("vigil.delivery.ehr.DLQ")).isZero();
        System.out.printf("EHR outage test: %d sent, %d ACKed, %d delivered, %d failed delivery attempts%n",
                MESSAGES, acked.get(), delivery.getDelivered(), delivery.getFailedAttempts());

        IGenericClient fhir = ApplianceTestSupport.fhirClient(FhirTestServer.baseUrl());
        Bundle count = fhir.search().forResource(Observation.class)
                .where(Observation.SUBJECT.hasChainedProperty(Patient.IDENTIFIER.exactly().systemAndIdentifier("urn:vigil:id:NIST", "OUTAGE-1")))
                .summaryMode(ca.uhn.fhir.rest.api.SummaryEnum.COUNT).cacheControl(new CacheControlDirective().setNoCache(true))
                .returnBundle(Bundle.class).execute();
        // every message charts one blood pressure panel and one pulse rate
        assertThat(count.getTotal()).isEqualTo(2 * MESSAGES);
        Bundle patients = fhir.search().forResource(Patient.class).where(Patient.IDENTIFIER.exactly().systemAndIdentifier("urn:vigil:id:NIST", "OUTAGE-1"))
                .cacheControl(new CacheControlDirective().setNoCache(true)).returnBundle(Bundle.class).execute();
        assertThat(patients.getEntry()).hasSize(1);
    }
}
