package io.vigil.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.fhir.FhirJsonTest;
import io.vigil.fhir.FhirProcessing;
import io.vigil.fhir.MessageDecision;
import io.vigil.governance.AuditTrail;
import io.vigil.governance.DeviceRegistry;
import io.vigil.governance.GovernanceEvaluator;
import io.vigil.ingest.DeviceJsonReader;
import io.vigil.support.FhirValidation;
import io.vigil.support.TestFolders;
import io.vigil.support.TestPipeline;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Rule scenarios: each folder under golden/rules holds messages.json (device JSON messages, docs/device-json.md,
 * sent in order), optionally context.json, and expected.json (per message: outcome, exclusions, NEWS2, qSOFA,
 * alerts). Found by folder scan: a new case needs no Java. A missing expected.json is written as actual.json
 * for review. Every delivered bundle must validate against FHIR R4.
 */
class RuleScenarioTest {

    private static final Path CASES = Path.of("src/test/resources/golden/rules");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static RuleEngine engine;
    private static ClinicalParameters parameters;

    @BeforeAll
    static void rules() throws Exception {
        engine = new RuleEngine(Path.of("rules"));
        parameters = ClinicalParameters.load(Path.of("mappings"));
    }

    @TestFactory
    Stream<DynamicTest> everyScenarioDecidesAsExpected() throws IOException {
        return Files.list(CASES).filter(Files::isDirectory).sorted()
                .map(dir -> DynamicTest.dynamicTest(dir.getFileName().toString(), () -> run(dir)));
    }

    private static void run(Path dir) throws Exception {
        JsonNode context = Files.exists(dir.resolve("context.json"))
                ? JSON.readTree(dir.resolve("context.json").toFile()) : JSON.createObjectNode();
        PatientContexts contexts = new PatientContexts();
        context.path("patients").fields().forEachRemaining(e -> contexts.put(e.getKey(), new PatientContexts.Context(
                e.getValue().has("spo2Scale") ? e.getValue().get("spo2Scale").asInt() : null,
                e.getValue().has("onOxygen") ? e.getValue().get("onOxygen").asBoolean() : null)));
        ClinicalSettings settings = new ClinicalSettings(Duration.ofHours(1), Duration.ofMinutes(10),
                Duration.ofMinutes(context.path("quietMinutes").asInt(30)), News2Band.LOW_MEDIUM, 1, 1000, Duration.ofHours(24));
        Path work = TestFolders.create("vigil-scenario");
        DeviceRegistry registry = new DeviceRegistry(work.resolve("devices.json"), List.of());
        FhirProcessing processing = new FhirProcessing(TestPipeline.BUNDLES,
                new GovernanceEvaluator(engine, parameters, registry, context.path("enforceDeviceRegistry").asBoolean(false)),
                new ClinicalEvaluator(engine, parameters, settings, contexts), engine,
                new AuditTrail(work.resolve("audit"), TestPipeline.FHIR), context.path("production").asBoolean(true), null, null);
        DeviceJsonReader reader = new DeviceJsonReader(TestPipeline.TERMINOLOGY);

        ArrayNode actual = JSON.createArrayNode();
        for (JsonNode message : JSON.readTree(dir.resolve("messages.json").toFile())) {
            var batch = reader.read(JSON.writeValueAsBytes(message), null, Instant.parse("2026-01-01T00:00:00Z"));
            MessageDecision decision = processing.decide(batch);
            if (decision.bundle() != null) {
                assertThat(FhirValidation.errors(decision.bundle())).as("FHIR validation of " + message.path("messageId")).isEmpty();
                FhirJsonTest.assertSameAsHapi(decision.bundle());
            }
            actual.add(summary(decision));
        }
        Path expected = dir.resolve("expected.json");
        if (!Files.exists(expected)) {
            Files.writeString(dir.resolve("actual.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(actual));
            throw new AssertionError("no expected.json in " + dir + ": wrote actual.json for review");
        }
        assertThat(actual).isEqualTo(JSON.readTree(expected.toFile()));
    }

    private static ObjectNode summary(MessageDecision decision) {
        ObjectNode out = JSON.createObjectNode();
        out.put("outcome", decision.outcome());
        if (decision.reason() != null) {
            out.put("reason", decision.reason().split(" ")[0]);
        }
        if (decision.governance() != null && !decision.governance().excluded().isEmpty()) {
            ObjectNode excluded = out.putObject("excluded");
            decision.governance().excluded().forEach((i, d) -> excluded.put(String.valueOf(i), d.code()));
        }
        for (ClinicalOutcome c : decision.clinical()) {
            ObjectNode news2 = out.putObject("news2");
            news2.put("total", c.news2().total());
            news2.put("band", c.news2().band().code());
            ArrayNode missing = news2.putArray("missing");
            c.news2().missing().forEach(missing::add);
            out.put("qsofa", c.qsofaPoints());
            ArrayNode alerts = out.putArray("alerts");
            c.alerts().forEach(a -> alerts.add(a.alert().cause() + " " + a.kind().name().toLowerCase() + " " + a.alert().severity()));
        }
        return out;
    }
}
