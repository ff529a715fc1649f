package io.vigil.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vigil.support.ApplianceTestSupport;
import io.vigil.support.Samples;
import io.vigil.support.ScriptedEhr;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Retries with backoff, and the dead-letter queue that keeps the reason, against an EHR that fails on cue. */
@SpringBootTest(properties = {
        "vigil.delivery.max-redeliveries=2",
        "vigil.delivery.initial-delay-ms=200",
        "vigil.delivery.max-delay-ms=1000"})
@DirtiesContext
class DeliveryFailureIT {

    private static final String DLQ = "vigil.delivery.ehr.DLQ";
    private static ScriptedEhr ehr;
    private static ApplianceTestSupport.Ports ports;

    @DynamicPropertySource
    static void listeners(DynamicPropertyRegistry registry) throws Exception {
        ehr = new ScriptedEhr();
        ports = ApplianceTestSupport.register(registry, ehr.baseUrl());
    }

    @AfterAll
    static void stopEhr() {
        ehr.close();
    }

    @Autowired
    JmsTemplate jms;

    @Autowired
    io.vigil.delivery.Replay replay;

    @BeforeEach
    void emptyDeadLetters() {
        jms.setReceiveTimeout(100);
        while (jms.receive(DLQ) != null) {
            // drain what an earlier test left
        }
        ehr.resetCount();
    }

    private List<Message> deadLetters() {
        return jms.browse(DLQ, (session, browser) -> {
            List<Message> all = new ArrayList<>();
            Collections.list(browser.getEnumeration()).forEach(m -> all.add((Message) m));
            return all;
        });
    }

    private void send(String controlId) throws Exception {
        String ack = ApplianceTestSupport.sendHl7(ports.mllp(), Samples.hl7("04").replace("0104ef190d604db188c3", controlId));
        assertThat(ack).contains("MSA|AA|" + controlId);
    }

    @Test
    void shouldRetryAnUnavailableEhrThenDeadLetterWithTheReason() throws Exception {
        ehr.answer(503, 503, 503, 503);
        send("dlq-503");

        await().atMost(Duration.ofSeconds(30)).until(() -> deadLetters().size() == 1);
        Message dead = deadLetters().get(0);
        assertThat(dead.getStringProperty("VigilFailureReason")).startsWith("VIGIL-DLV-002").contains("HTTP 503");
        assertThat(dead.getStringProperty("VigilMessageControlId")).isEqualTo("dlq-503");
        assertThat(((TextMessage) dead).getText()).contains("\"resourceType\":\"Bundle\"");
        assertThat(ehr.requests()).isEqualTo(3); // the first attempt and two retries
    }

    @Test
    void shouldDeadLetterAnEhrRefusalAtOnce() throws Exception {
        ehr.answer(422);
        send("dlq-422");

        await().atMost(Duration.ofSeconds(30)).until(() -> deadLetters().size() == 1);
        assertThat(deadLetters().get(0).getStringProperty("VigilFailureReason"))
                .startsWith("VIGIL-DLV-003").contains("HTTP 422").contains("scripted 422");
        assertThat(ehr.requests()).isEqualTo(1);
    }

    @Test
    void shouldDeliverADeadLetterReplayedOnceTheEhrAcceptsIt() throws Exception {
        ehr.answer(422);
        send("replay-1");
        await().atMost(Duration.ofSeconds(30)).until(() -> deadLetters().size() == 1);
        ehr.resetCount();

        int moved = replay.replay("vigil.delivery.ehr.DLQ", "VigilMessageControlId='replay-1'");

        assertThat(moved).isEqualTo(1);
        await().atMost(Duration.ofSeconds(30)).until(() -> ehr.requests() == 1);
        Thread.sleep(500);
        assertThat(deadLetters()).isEmpty();
        assertThat(ehr.bodies().get(ehr.bodies().size() - 1)).contains("\"resourceType\":\"Bundle\"");
    }

    @Test
    void shouldDeliverWhenTheEhrRecoversWithinTheRetries() throws Exception {
        ehr.answer(503, 500);
        send("recovers");

        await().atMost(Duration.ofSeconds(30)).until(() -> ehr.requests() == 3);
        Thread.sleep(500);
        assertThat(deadLetters()).isEmpty();
    }

    @org.springframework.beans.factory.annotation.Autowired
    io.vigil.governance.AuditTrail audit;

    @Test
    void shouldDeliverADeadLetterOnceAnOperatorHasCorrectedIt() throws Exception {
        ehr.answer(422);
        send("edit-1");
        await().atMost(Duration.ofSeconds(30)).until(() -> deadLetters().size() == 1);
        String refused = ((TextMessage) deadLetters().get(0)).getText();
        ehr.resetCount();

        assertThatThrownBy(() -> replay.resendEdited(DLQ, "edit-1", "{\"not\": \"a bundle\"}", "nurse.admin"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a FHIR R4 Bundle");
        assertThat(deadLetters()).hasSize(1);
        String corrected = refused.replace("\"Blood pressure\"", "\"Blood pressure (corrected)\"");
        assertThat(corrected).isNotEqualTo(refused);

        String target = replay.resendEdited(DLQ, "edit-1", corrected, "nurse.admin");

        assertThat(target).isEqualTo("vigil.delivery.ehr");
        await().atMost(Duration.ofSeconds(30)).until(() -> ehr.requests() == 1);
        Thread.sleep(500);
        assertThat(deadLetters()).isEmpty();
        assertThat(ehr.bodies().get(ehr.bodies().size() - 1)).contains("Blood pressure (corrected)");
        assertThat(audit.latest(5)).anySatisfy(line -> assertThat(line).contains("amend").contains("nurse.admin")
                .contains("edit-1").contains(io.vigil.ingest.Hashes.sha256(corrected.getBytes(java.nio.charset.StandardCharsets.UTF_8))));
        assertThatThrownBy(() -> replay.resendEdited(DLQ, "edit-1", corrected, "nurse.admin"))
                .isInstanceOf(java.util.NoSuchElementException.class);
    }
}
