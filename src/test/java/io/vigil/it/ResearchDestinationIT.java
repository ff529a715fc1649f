package io.vigil.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.governance.AuditTrail;
import io.vigil.support.ApplianceTestSupport;
import io.vigil.support.FhirTestServer;
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

/** A treatment EHR and a research destination at once: each gets what its purpose of use allows, both audited. */
@SpringBootTest
@DirtiesContext
class ResearchDestinationIT {

    private static ScriptedEhr research;
    private static ApplianceTestSupport.Ports ports;

    @DynamicPropertySource
    static void listeners(DynamicPropertyRegistry registry) throws Exception {
        research = new ScriptedEhr();
        registry.add("vigil.research.base-url", research::baseUrl);
        ports = ApplianceTestSupport.register(registry, FhirTestServer.baseUrl());
    }

    @AfterAll
    static void stop() {
        research.close();
    }

    @Autowired
    AuditTrail audit;

    @Test
    void shouldSendTheEhrIdentifiedDataAndResearchSafeHarborData() throws Exception {
        String hl7 = Samples.hl7("04").replace("0104ef190d604db188c3", "research-1");
        assertThat(ApplianceTestSupport.sendHl7(ports.mllp(), hl7)).contains("MSA|AA|research-1");

        await().atMost(Duration.ofSeconds(60)).until(() -> research.bodies().size() == 1);
        String deidentified = research.bodies().get(0);
        assertThat(deidentified).contains("urn:vigil:research-subject").contains("\"effectiveDateTime\":\"2011\"")
                .doesNotContain("HO2009001").doesNotContain("080019FFFE3ED02D").doesNotContain("research-1")
                .doesNotContain("HO Surgery").doesNotContain("ACME");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(audit.latest(10))
                .anySatisfy(e -> assertThat(e).contains("HRESCH").contains(research.baseUrl()))
                .anySatisfy(e -> assertThat(e).contains("TREAT").contains(FhirTestServer.baseUrl()).contains("HO2009001")));
    }
}
