package io.vigil.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.normalize.CodeMaps;
import io.vigil.normalize.Units;
import io.vigil.support.TestPipeline;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A broken mapping file is refused with its file, line and reason; the previous version keeps running. */
class MappingLoaderTest {

    private static final Units UNITS = Units.load(Path.of("mappings"), TestPipeline.TERMINOLOGY);
    private static final CodeMaps CODE_MAPS = CodeMaps.load(Path.of("mappings"), TestPipeline.TERMINOLOGY, UNITS);
    private static final String GOOD = """
            match: "$exists(hr)"
            time:
              at: t
            values:
              - code: { mdc: "149546" }
                value: hr
                unit: /min
            """;

    private final MappingLoader loader = new MappingLoader(TestPipeline.TERMINOLOGY, UNITS, CODE_MAPS);

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            broken YAML               | 'match: [unclosed'                                                     | 1 | not valid YAML
            unknown key               | 'match: x\\nvalus: []'                                                 | 2 | unknown key 'valus'
            expression not compiling  | 'match: \\"$exists(\\"\\ntime: {at: t}\\nvalues: [{code: {mdc: \\"149546\\"}, value: hr}]' | 1 | does not compile
            unknown MDC code          | 'match: x\\ntime: {at: t}\\nvalues:\\n  - code: {mdc: \\"999999\\"}\\n    value: hr' | 4 | MDC code 999999 is not in codes/mdc-loinc.csv
            unknown LOINC code        | 'match: x\\ntime: {at: t}\\nvalues:\\n  - code: {loinc: 1234-5}\\n    value: hr' | 4 | LOINC code 1234-5
            unknown unit              | 'match: x\\ntime: {at: t}\\nvalues:\\n  - code: {mdc: \\"149546\\"}\\n    value: hr\\n    unit: beats' | 6 | unit 'beats' is neither valid UCUM
            missing code map          | 'match: x\\ntime: {at: t}\\nvalues:\\n  - code: {map: acme-codes, from: c}\\n    value: v' | 4 | code map 'acme-codes' does not exist
            no time                   | 'match: x\\nvalues:\\n  - code: {mdc: \\"149546\\"}\\n    value: hr' | 3 | no time
            local time without zone   | 'match: x\\ntime: {at: t, format: local}\\nvalues: [{code: {mdc: \\"149546\\"}, value: hr}]' | 2 | local times need time.zone
            bad time format           | 'match: x\\ntime: {at: t, format: epoch-minutes}\\nvalues: [{code: {mdc: \\"149546\\"}, value: hr}]' | 2 | time.format must be one of
            no values                 | 'match: x\\ntime: {at: t}\\nvalues: []'                                | 3 | values must be a non-empty list
            patient without system    | 'match: x\\npatient: {id: p}\\ntime: {at: t}\\nvalues: [{code: {mdc: \\"149546\\"}, value: hr}]' | 2 | patient.system must be the URI
            """)
    void brokenFileShouldBeRefusedWithLineAndReason(String name, String yaml, int line, String reason) {
        String text = yaml.replace("\\n", "\n").replace("\\\"", "\"");

        assertThatThrownBy(() -> loader.load("vendors/acme.yaml", "acme", text))
                .isInstanceOfSatisfying(MappingRejectedException.class, e -> {
                    assertThat(e.file()).isEqualTo("vendors/acme.yaml");
                    assertThat(e.line()).as(e.getMessage()).isEqualTo(line);
                    assertThat(e.getMessage()).startsWith("VIGIL-MAP-001 vendors/acme.yaml:" + line + ": ").contains(reason);
                });
    }

    @Test
    void goodFileShouldLoadWithAVersion() throws Exception {
        MappingDefinition mapping = loader.load("vendors/acme.yaml", "acme", GOOD);

        assertThat(mapping.name()).isEqualTo("acme");
        assertThat(mapping.version()).hasSize(12);
        assertThat(mapping.values()).singleElement().satisfies(v -> assertThat(v.mdc()).isEqualTo("149546"));
    }

    @Test
    void brokenEditShouldBeRefusedWhileThePreviousVersionKeepsMapping(@TempDir Path dir) throws Exception {
        Path mappings = copyOfMappingsWithout(dir);
        Path file = mappings.resolve("vendors/acme.yaml");
        Files.writeString(file, GOOD);
        VendorMappings registry = new VendorMappings(mappings, TestPipeline.TERMINOLOGY, UNITS, "urn:test", Duration.ofMinutes(5));
        String version = registry.snapshot().byName("acme").orElseThrow().version();

        Files.writeString(file, GOOD.replace("unit: /min", "unit: beats"));
        VendorMappings.Snapshot after = registry.reload();

        assertThat(after.refused()).containsKey("vendors/acme.yaml");
        assertThat(after.refused().get("vendors/acme.yaml")).contains("vendors/acme.yaml:7").contains("unit 'beats'");
        assertThat(after.byName("acme")).hasValueSatisfying(m -> assertThat(m.version()).isEqualTo(version));
        byte[] payload = "{\"hr\": 71, \"t\": \"2026-11-24T10:00:00Z\"}".getBytes();
        IngestContext context = new IngestContext("http", "acme", "dev-1", "p-1", Instant.parse("2026-11-24T10:00:01Z"));
        VendorMappings.Selection selection = registry.select(after, payload, context);
        assertThat(after.mapper().map(selection.mapping(), selection.root(), payload, context).batch().observations())
                .singleElement().satisfies(o -> assertThat(o.value().quantity()).isEqualByComparingTo("71"));

        Files.writeString(file, GOOD.replace("value: hr", "value: hr * 2"));
        VendorMappings.Snapshot fixed = registry.reload();
        assertThat(fixed.refused()).isEmpty();
        assertThat(fixed.byName("acme").orElseThrow().version()).isNotEqualTo(version);
    }

    @Test
    void brokenCodeMapShouldBeRefusedAndThePreviousCodeMapsKept(@TempDir Path dir) throws Exception {
        Path mappings = copyOfMappingsWithout(dir);
        VendorMappings registry = new VendorMappings(mappings, TestPipeline.TERMINOLOGY, UNITS, "urn:test", Duration.ofMinutes(5));
        Files.writeString(mappings.resolve("codes/withings-measure-types.csv"),
                Files.readString(mappings.resolve("codes/withings-measure-types.csv")) + "99,424242,,kg,,bad\n");

        VendorMappings.Snapshot after = registry.reload();

        assertThat(after.refused().get("codes")).contains("withings-measure-types.csv:").contains("MDC code 424242");
        assertThat(after.byName("withings-body-measures")).isPresent();
        assertThat(after.codeMaps().lookup("withings-measure-types", "1")).isPresent();
    }

    /** mappings/ with its codes, units and vendors, in a folder the test may change. */
    static Path copyOfMappingsWithout(Path dir) throws Exception {
        Path target = dir.resolve("mappings");
        for (String sub : new String[] {"codes", "units", "vendors"}) {
            Files.createDirectories(target.resolve(sub));
            try (var files = Files.list(Path.of("mappings", sub))) {
                for (Path f : files.toList()) {
                    Files.copy(f, target.resolve(sub).resolve(f.getFileName()));
                }
            }
        }
        return target;
    }
}
