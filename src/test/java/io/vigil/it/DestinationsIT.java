package io.vigil.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.rest.api.CacheControlDirective;
import ca.uhn.fhir.rest.api.SummaryEnum;
import io.vigil.broker.QueueDepths;
import io.vigil.delivery.Destinations;
import io.vigil.support.ApplianceTestSupport;
import io.vigil.support.FaultyLink;
import io.vigil.support.FhirTestServer;
import io.vigil.support.Samples;
import io.vigil.support.ScriptedEhr;
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
 * Two treatment destinations at once: the EHR (the real HAPI FHIR JPA server, behind a link the test hangs) and
 * a further destination "icu-system". While the EHR hangs, the ICU system receives every bundle; when the EHR
 * comes back it receives every bundle too, once.
 */
@SpringBootTest(properties = {"vigil.ehr.timeout=2s", "vigil.delivery.initial-delay-ms=500", "vigil.delivery.max-delay-ms=2000",
        "vigil.delivery.max-redeliveries=100"})
@DirtiesContext
class DestinationsIT {

    private static final int MESSAGES = 20;
    private static FaultyLink link;
    private static ScriptedEhr icu;
    private static ApplianceTestSupport.Ports ports;

    @DynamicPropertySource
    static void setup(DynamicPropertyRegistry registry) throws Exception {
        link = FaultyLink.toFhirTestServer();
        icu = new ScriptedEhr();
        ports = ApplianceTestSupport.register(registry, link.fhirBaseUrl());
        registry.add("vigil.destinations.icu-system.base-url", icu::baseUrl);
        registry.add("vigil.destinations.icu-system.timeout", () -> "5s");
    }

    @AfterAll
    static void close() throws Exception {
        link.close();
        icu.close();
    }

    @Autowired
    QueueDepths depths;

    @Autowired
    Destinations destinations;

    @Test
    void aHangingEhrShouldNotHoldTheOtherDestination() throws Exception {
        link.mode(FaultyLink.Mode.HANG);
        String template = Samples.hl7("04").replace("HO2009001^^^NIST", "TWO-DESTINATIONS^^^NIST");
        for (int i = 0; i < MESSAGES; i++) {
            assertThat(ApplianceTestSupport.sendHl7(ports.mllp(), template.replace("0104ef190d604db188c3", "two-" + i)))
                    .contains("MSA|AA");
        }

        await().atMost(Duration.ofSeconds(60)).until(() -> destinations.all().get(0).delivered() == MESSAGES);
        assertThat(icu.requests()).isEqualTo(MESSAGES);
        assertThat(depths.of("vigil.delivery.ehr")).as("bundles waiting for the hanging EHR").isGreaterThan(0);
        assertThat(icu.bodies()).allSatisfy(b -> assertThat(b).contains("\"resourceType\":\"Bundle\"").contains("TWO-DESTINATIONS"));

        link.mode(FaultyLink.Mode.UP);
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(2))
                .until(() -> depths.of("vigil.delivery.ehr") + depths.of("vigil.observations") == 0);
        Bundle count = ApplianceTestSupport.fhirClient(FhirTestServer.baseUrl()).search().forResource(Observation.class)
                .where(Observation.SUBJECT.hasChainedProperty(Patient.IDENTIFIER.exactly()
                        .systemAndIdentifier("urn:vigil:id:NIST", "TWO-DESTINATIONS")))
                .summaryMode(SummaryEnum.COUNT).cacheControl(new CacheControlDirective().setNoCache(true))
                .returnBundle(Bundle.class).execute();
        assertThat(count.getTotal()).isEqualTo(2 * MESSAGES);
        assertThat(icu.requests()).isEqualTo(MESSAGES);
        assertThat(depths.of("vigil.delivery.icu-system.DLQ") + depths.of("vigil.delivery.ehr.DLQ")).isZero();
    }
}
