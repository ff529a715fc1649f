package io.vigil.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.mapping.IngestContext;
import io.vigil.mapping.MappingDefinition;
import io.vigil.mapping.MappingLoader;
import io.vigil.mapping.MappingReport;
import io.vigil.mapping.MappingTester;
import io.vigil.mapping.VendorMappings;
import io.vigil.support.TestFolders;
import io.vigil.support.TestPipeline;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every example of docs/mappings.md is run: its mapping file loads, its payload maps to exactly the result the
 * doc shows, and its FHIR validates. Every YAML block of the doc is such an example.
 */
class MappingsGuideTest {

    private static final Path DOC = Path.of("docs/mappings.md");
    private static final Pattern EXAMPLE = Pattern.compile(
            "<!-- example: ([a-z0-9-]+)([^>]*)-->\\s*```yaml\\n(.*?)```.*?```(json|csv)\\n(.*?)```.*?```json\\n(.*?)```",
            Pattern.DOTALL);

    record Example(String name, Map<String, String> context, String mapping, String payload, String expected) {
    }

    static List<Example> examples() throws Exception {
        Matcher m = EXAMPLE.matcher(Files.readString(DOC));
        List<Example> examples = new ArrayList<>();
        while (m.find()) {
            Map<String, String> context = new HashMap<>();
            for (String pair : m.group(2).trim().split("\\s+")) {
                if (pair.contains("=")) {
                    context.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
                }
            }
            examples.add(new Example(m.group(1), context, m.group(3), m.group(5), m.group(6)));
        }
        return examples;
    }

    @Test
    void everyYamlBlockShouldBeARunExample() throws Exception {
        long yamlBlocks = Pattern.compile("```yaml").matcher(Files.readString(DOC)).results().count();
        assertThat(examples()).hasSize((int) yamlBlocks).hasSizeGreaterThanOrEqualTo(3);
    }

    @TestFactory
    Stream<DynamicTest> everyExampleShouldGiveTheResultTheDocShows() throws Exception {
        return examples().stream().map(e -> DynamicTest.dynamicTest(e.name(), () -> run(e)));
    }

    private static void run(Example e) throws Exception {
        Path mappings = TestFolders.create("vigil-doc-");
        for (String sub : new String[] {"codes", "units"}) {
            Files.createDirectories(mappings.resolve(sub));
            try (Stream<Path> files = Files.list(Path.of("mappings", sub))) {
                for (Path f : files.toList()) {
                    Files.copy(f, mappings.resolve(sub).resolve(f.getFileName()));
                }
            }
        }
        Files.createDirectories(mappings.resolve("vendors"));
        Files.writeString(mappings.resolve("vendors/" + e.name() + ".yaml"), e.mapping());
        VendorMappings registry = new VendorMappings(mappings, TestPipeline.TERMINOLOGY, TestPipeline.UNITS,
                "urn:vigil:patient-id", Duration.ofMinutes(5));
        assertThat(registry.snapshot().refused()).isEmpty();
        MappingDefinition loaded = registry.snapshot().byName(e.name()).orElseThrow();
        assertThat(new MappingLoader(TestPipeline.TERMINOLOGY, TestPipeline.UNITS, TestPipeline.CODE_MAPS)
                .load("doc", e.name(), e.mapping()).version()).isEqualTo(loaded.version());

        IngestContext context = new IngestContext("http", e.name(), e.context().get("device"), e.context().get("patient"),
                MappingTester.CASE_RECEIVED_AT);
        MappingTester.Outcome outcome = new MappingTester(TestPipeline.BUNDLES).run(registry.snapshot(), registry,
                e.payload().getBytes(StandardCharsets.UTF_8), context, MappingReport.JSON.readTree(e.expected()));

        assertThat(outcome.differences()).as("docs/mappings.md example " + e.name()).isEmpty();
        assertThat(outcome.fhirBundle()).isNotNull();
        assertThat(io.vigil.support.FhirValidation.errors(TestPipeline.FHIR.newJsonParser()
                .parseResource(org.hl7.fhir.r4.model.Bundle.class, outcome.fhirBundle()))).isEmpty();
    }
}
