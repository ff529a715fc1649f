package io.vigil.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.ingest.DeviceJsonReader;
import io.vigil.model.ObservationBatch;
import io.vigil.support.FhirValidation;
import io.vigil.support.TestPipeline;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.Test;

/** What the docs show is what Vigil does. */
class DocumentedExamplesTest {

    private static final Pattern JSON_BLOCK = Pattern.compile("```json\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern ERROR_CODE = Pattern.compile("VIGIL-[A-Z0-9]+-\\d{3}");

    private static List<String> jsonBlocks(Path doc) throws IOException {
        Matcher m = JSON_BLOCK.matcher(Files.readString(doc));
        List<String> blocks = new ArrayList<>();
        while (m.find()) {
            blocks.add(m.group(1));
        }
        return blocks;
    }

    @Test
    void deviceJsonExampleShouldBecomeTheFourObservationsTheDocPromises() throws Exception {
        List<String> examples = jsonBlocks(Path.of("docs/device-json.md"));
        assertThat(examples).hasSize(1);

        ObservationBatch batch = new DeviceJsonReader(TestPipeline.TERMINOLOGY)
                .read(examples.get(0).getBytes(StandardCharsets.UTF_8), "00A0370098006640", Instant.now());
        Bundle bundle = TestPipeline.bundle(batch);

        assertThat(FhirValidation.errors(bundle)).isEmpty();
        assertThat(bundle.getEntry()).map(Bundle.BundleEntryComponent::getResource)
                .filteredOn(Observation.class::isInstance)
                .extracting(r -> ((Observation) r).getCode().getCodingFirstRep().getCode())
                .containsExactly("2708-6", "8867-4", "85354-9", "8310-5");
    }

    @Test
    void everyErrorCodeInUseShouldBeDocumented() throws IOException {
        Set<String> used = new TreeSet<>();
        for (Path root : List.of(Path.of("src/main/java"), Path.of("routes"))) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    Matcher m = ERROR_CODE.matcher(Files.readString(file));
                    while (m.find()) {
                        used.add(m.group());
                    }
                }
            }
        }
        String documented = Files.readString(Path.of("docs/errors.md"));

        assertThat(used).isNotEmpty();
        assertThat(used).allSatisfy(code -> assertThat(documented).contains("| " + code + " |"));
    }
}
