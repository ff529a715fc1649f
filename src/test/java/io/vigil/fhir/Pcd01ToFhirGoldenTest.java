package io.vigil.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.support.FhirValidation;
import io.vigil.support.TestPipeline;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden cases: each folder under golden/pcd01-fhir holds input.hl7 and expected.json (the transaction Bundle).
 * Adding a case needs no Java. When expected.json is missing the test writes actual.json beside the input and
 * fails, so a new case is reviewed before it is accepted (rename actual.json to expected.json).
 */
class Pcd01ToFhirGoldenTest {

    private static final Path CASES = Path.of("src/test/resources/golden/pcd01-fhir");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestFactory
    Stream<DynamicTest> everyCaseBuildsTheExpectedValidBundle() throws IOException {
        return Files.list(CASES).filter(Files::isDirectory).sorted()
                .map(dir -> DynamicTest.dynamicTest(dir.getFileName().toString(), () -> check(dir)));
    }

    private static void check(Path dir) throws Exception {
        String hl7 = Files.readString(dir.resolve("input.hl7"), StandardCharsets.UTF_8)
                .strip().replace("\r\n", "\r").replace('\n', '\r');
        Bundle bundle = TestPipeline.bundle(TestPipeline.extract(hl7));

        assertThat(FhirValidation.errors(bundle)).as("FHIR R4 / vital-signs validation errors").isEmpty();

        FhirJsonTest.assertSameAsHapi(bundle);
        String actual = TestPipeline.BUNDLES.toJson(bundle);
        Path expected = dir.resolve("expected.json");
        if (!Files.exists(expected)) {
            Files.writeString(dir.resolve("actual.json"), JSON.writerWithDefaultPrettyPrinter()
                    .writeValueAsString(JSON.readTree(actual)));
            throw new AssertionError("no expected.json in " + dir + ": wrote actual.json for review");
        }
        JsonNode want = withoutVersions(JSON.readTree(Files.readString(expected)));
        assertThat(withoutVersions(JSON.readTree(actual))).isEqualTo(want);
    }

    /** Provenance.policy names the versions of mappings/ and rules/: editing a map must not break every case. */
    private static JsonNode withoutVersions(JsonNode bundle) {
        for (JsonNode entry : bundle.path("entry")) {
            if ("Provenance".equals(entry.path("resource").path("resourceType").asText())) {
                ((com.fasterxml.jackson.databind.node.ObjectNode) entry.get("resource")).remove("policy");
            }
        }
        return bundle;
    }
}
