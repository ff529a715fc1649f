package io.vigil.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.rest.api.CacheControlDirective;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import io.vigil.delivery.Replay;
import io.vigil.model.CanonicalJson;
import io.vigil.model.ObservationBatch;
import io.vigil.rules.RuleEngine;
import io.vigil.support.ApplianceTestSupport;
import io.vigil.support.FhirTestServer;
import io.vigil.support.Pcd01Writer;
import io.vigil.support.RuleFolders;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CommunicationRequest;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.RiskAssessment;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The clinical and governance rules end to end: patients over MLLP and MQTT, scores and alerts in a real FHIR
 * server, alerts on the Artemis topic, a threshold edited live, a broken rule file refused.
 */
@SpringBootTest(properties = {"vigil.rules.reload-delay=200ms"})
@DirtiesContext
class RulesIT {

    private static final Duration DELIVERY = Duration.ofSeconds(60);
    private static final String SYSTEM = "urn:vigil:id:RULESIT";
    private static Path rules;
    private static ApplianceTestSupport.Ports ports;

    @DynamicPropertySource
    static void setup(DynamicPropertyRegistry registry) throws IOException {
        rules = RuleFolders.copyOfRules();
        registry.add("vigil.rules.dir", rules::toString);
        ports = ApplianceTestSupport.register(registry, FhirTestServer.baseUrl());
    }

    @Autowired
    RuleEngine engine;

    @Autowired
    ConnectionFactory jms;

    @Autowired
    Replay replay;

    private final IGenericClient ehr = ApplianceTestSupport.fhirClient(FhirTestServer.baseUrl());
    private static final OffsetDateTime T0 = OffsetDateTime.now(ZoneOffset.UTC).withNano(0).minusMinutes(30);

    private <T extends Resource> List<T> of(Class<T> type, String patient) {
        Bundle result = ehr.search().forResource(type)
                .where(new ca.uhn.fhir.rest.gclient.ReferenceClientParam("subject")
                        .hasChainedProperty(Patient.IDENTIFIER.exactly().systemAndIdentifier(SYSTEM, patient)))
                .cacheControl(new CacheControlDirective().setNoCache(true)).count(100)
                .returnBundle(Bundle.class).execute();
        return result.getEntry().stream().map(e -> type.cast(e.getResource())).toList();
    }

    private void send(String controlId, String patient, String ward, int minute, Integer hr, Integer spo2, Integer rr,
                      Integer sys, String temp, String acvpu) throws Exception {
        String hl7 = Pcd01Writer.vitals(controlId, patient, ward, "0A0B0C0D0E0F1011", T0.plusMinutes(minute),
                hr, spo2, rr, sys, sys == null ? null : sys - 40, temp, acvpu);
        assertThat(ApplianceTestSupport.sendHl7(ports.mllp(), hl7)).contains("MSA|AA|" + controlId);
    }

    @Test
    void shouldScoreADeterioratingPatientAndRaiseAnEscalationWithItsRule() throws Exception {
        List<String> published = new CopyOnWriteArrayList<>();
        try (Connection connection = jms.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(session.createTopic("vigil.alerts"));
            consumer.setMessageListener(m -> {
                try {
                    published.add(((TextMessage) m).getText());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            connection.start();

            send("det-1", "DET-1", "WARD7", 0, 78, 97, 16, 125, "37.0", "A");
            send("det-2", "DET-1", "WARD7", 3, 104, 95, 21, 108, "38.2", "A");
            send("det-3", "DET-1", "WARD7", 6, 126, 91, 26, 94, "38.7", "A");

            await().atMost(DELIVERY).untilAsserted(() ->
                    assertThat(of(RiskAssessment.class, "DET-1")).hasSize(3));
            await().atMost(DELIVERY).until(() -> published.stream().anyMatch(p -> p.contains("\"cause\":\"news2\"")));
        }
        List<RiskAssessment> scores = of(RiskAssessment.class, "DET-1");
        assertThat(scores).extracting(r -> r.getPredictionFirstRep().getQualitativeRisk().getCodingFirstRep().getCode())
                .containsExactlyInAnyOrder("low", "medium", "high");
        RiskAssessment high = scores.stream().filter(r -> "high".equals(r.getPredictionFirstRep().getQualitativeRisk()
                .getCodingFirstRep().getCode())).findFirst().orElseThrow();
        // RR 26 (3), SpO2 91 (3), air (0, no oxygen reported: partial), SBP 94 (2), HR 126 (2), alert (0), 38.7 (1)
        assertThat(high.getPredictionFirstRep().getRationale()).startsWith("NEWS2 11 ");
        assertThat(high.getBasis()).hasSize(6);
        // each cites an Observation charted for the patient (the ids of the messages' values, kept by the clinical state)
        List<String> charted = of(Observation.class, "DET-1").stream()
                .flatMap(o -> o.getIdentifier().stream()).map(Identifier::getValue).toList();
        assertThat(high.getBasis()).allSatisfy(b -> assertThat(charted).contains(b.getIdentifier().getValue()));
        assertThat(high.getMeta().getTag()).extracting(c -> c.getCode()).contains(engine.version());

        List<Flag> flags = of(Flag.class, "DET-1");
        assertThat(flags).extracting(f -> f.getCode().getCodingFirstRep().getCode()).contains("news2", "spo2-falling");
        assertThat(flags).allSatisfy(f -> assertThat(f.getMeta().getTag()).isNotEmpty());
        List<CommunicationRequest> requests = of(CommunicationRequest.class, "DET-1");
        assertThat(requests).anySatisfy(r -> {
            assertThat(r.getPriority()).isEqualTo(CommunicationRequest.CommunicationPriority.STAT);
            assertThat(r.getPayloadFirstRep().getContentStringType().getValue()).contains("NEWS2 11").contains(engine.version());
        });
        assertThat(published).anySatisfy(p -> assertThat(p).contains("\"outcome\":\"raised\"").contains(engine.version()));
    }

    @Test
    void shouldScoreAStablePatientPublishingJsonOverMqttWithoutAlerts() throws Exception {
        String json = """
                {"messageId": "stable-1", "patient": {"system": "%s", "value": "STABLE-1"},
                 "location": {"unit": "WARD7", "bed": "2"},
                 "observations": [
                   {"code": {"mdc": "149530"}, "value": 72, "unit": "/min", "time": "%s"},
                   {"code": {"mdc": "150456"}, "value": 98, "unit": "%%", "time": "%s"},
                   {"code": {"mdc": "151562"}, "value": 14, "unit": "/min", "time": "%s"},
                   {"code": {"mdc": "150021"}, "value": 121, "unit": "mm[Hg]", "time": "%s"},
                   {"code": {"mdc": "150022"}, "value": 76, "unit": "mm[Hg]", "time": "%s"},
                   {"code": {"loinc": "3151-8"}, "value": 0, "unit": "L/min", "time": "%s"},
                   {"code": {"loinc": "67775-7"}, "value": "A", "time": "%s"},
                   {"code": {"mdc": "150364"}, "value": 36.8, "unit": "Cel", "time": "%s"}
                 ]}""".formatted(SYSTEM, T0, T0, T0, T0, T0, T0, T0, T0);
        ApplianceTestSupport.publishMqtt(ports.mqtt(), "vigil/devices/0A0B0C0D0E0F1012/observations", json);

        await().atMost(DELIVERY).until(() -> of(RiskAssessment.class, "STABLE-1").size() == 1);
        RiskAssessment score = of(RiskAssessment.class, "STABLE-1").get(0);
        assertThat(score.getPredictionFirstRep().getQualitativeRisk().getCodingFirstRep().getCode()).isEqualTo("low");
        assertThat(score.getPredictionFirstRep().getRationale()).startsWith("NEWS2 0 ").doesNotContain("partial");
        assertThat(of(Flag.class, "STABLE-1")).isEmpty();
    }

    @Test
    void shouldFollowAThresholdEditedInTheDecisionTableAndKeepRulesWhenAFileIsBroken() throws Exception {
        send("thr-1", "THR-1", "WARD9", 0, 115, 97, 16, 125, "37.0", "A");
        await().atMost(DELIVERY).until(() -> of(RiskAssessment.class, "THR-1").size() == 1);
        assertThat(of(Flag.class, "THR-1")).isEmpty();

        String before = engine.version();
        Path table = rules.resolve("clinical/thresholds.drl.csv");
        Files.writeString(table, Files.readString(table).replace("Heart rate,0,pulse,pulse,,40,130,", "Heart rate,0,pulse,pulse,,40,110,"));
        await().atMost(Duration.ofSeconds(30)).until(() -> !engine.version().equals(before));

        send("thr-2", "THR-1", "WARD9", 2, 116, 97, 16, 125, "37.0", "A");
        await().atMost(DELIVERY).until(() -> of(Flag.class, "THR-1").size() == 1);
        assertThat(of(Flag.class, "THR-1").get(0).getCode().getCodingFirstRep().getCode()).isEqualTo("threshold:heart-rate-high");

        String working = engine.version();
        long refused = engine.refusedReloads();
        Files.writeString(rules.resolve("clinical/broken.drl"), "package vigil.clinical\nrule \"half a rule\"\nwhen News2Input(\nthen\nend\n");
        await().atMost(Duration.ofSeconds(30)).until(() -> engine.refusedReloads() > refused);
        assertThat(engine.version()).isEqualTo(working);
        assertThat(engine.lastRefusal()).anySatisfy(p -> assertThat(p).startsWith("clinical/broken.drl:"));

        send("thr-3", "THR-1", "WARD9", 4, 60, 97, 16, 125, "37.0", "A");
        await().atMost(DELIVERY).until(() -> of(Flag.class, "THR-1").stream().anyMatch(f -> f.getStatus() == Flag.FlagStatus.INACTIVE));
        Files.delete(rules.resolve("clinical/broken.drl"));
    }

    @Test
    void shouldDeadLetterAnMllpMessageWhoseRuleFailsAckItAndChartItWhenReplayedAfterTheFix() throws Exception {
        String working = engine.version();
        Path failing = rules.resolve("clinical/failing.drl");
        Files.writeString(failing, """
                package vigil.clinical
                import io.vigil.rules.News2Input
                rule "fails on a pulse of 199"
                when News2Input(pulse == 199)
                then throw new IllegalStateException("rule failed on purpose");
                end
                """);
        await().atMost(Duration.ofSeconds(30)).until(() -> !engine.version().equals(working));

        send("fail-1", "FAIL-1", "WARD8", 0, 199, 97, 16, 125, "37.0", "A");
        send("fail-2", "FAIL-2", "WARD8", 0, 80, 97, 16, 125, "37.0", "A");
        await().atMost(DELIVERY).untilAsserted(() -> assertThat(of(RiskAssessment.class, "FAIL-2")).hasSize(1));
        assertThat(of(Observation.class, "FAIL-1")).isEmpty();
        try (Connection connection = jms.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            List<TextMessage> dead = new java.util.ArrayList<>();
            java.util.Enumeration<?> e = session.createBrowser(session.createQueue("vigil.processing.DLQ"),
                    "VigilMessageControlId='fail-1'").getEnumeration();
            while (e.hasMoreElements()) {
                dead.add((TextMessage) e.nextElement());
            }
            assertThat(dead).hasSize(1);
            assertThat(dead.get(0).getStringProperty("VigilFailureReason"))
                    .startsWith("VIGIL-PRC-001 ").contains("rule failed on purpose");
            assertThat(CanonicalJson.MAPPER.readValue(dead.get(0).getText(), ObservationBatch.class).observations())
                    .extracting(o -> o.patient().value()).containsOnly("FAIL-1");
        }

        Files.delete(failing);
        await().atMost(Duration.ofSeconds(30)).until(() -> engine.version().equals(working));
        assertThat(replay.replay("vigil.processing.DLQ", "VigilMessageControlId='fail-1'")).isEqualTo(1);
        await().atMost(DELIVERY).untilAsserted(() -> assertThat(of(RiskAssessment.class, "FAIL-1")).hasSize(1));
        assertThat(of(Observation.class, "FAIL-1")).isNotEmpty();
    }

    @AfterAll
    static void removeRules() throws IOException {
        try (Stream<Path> files = Files.walk(rules)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
