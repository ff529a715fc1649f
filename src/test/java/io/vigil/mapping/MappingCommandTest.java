package io.vigil.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code java -jar vigil.jar mapping test ...} as an analyst runs it: output and exit status. */
class MappingCommandTest {

    private static MappingCommand command;
    private static ByteArrayOutputStream out;

    @BeforeAll
    static void create() {
        out = new ByteArrayOutputStream();
        command = new MappingCommand(new PrintStream(out, true, StandardCharsets.UTF_8), Path.of("mappings"));
    }

    private int run(String... args) throws Exception {
        out.reset();
        return command.test(new ArrayList<>(List.of(args)));
    }

    private String printed() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void mappingFileAndPayloadShouldPrintObservationsAndFhir() throws Exception {
        int status = run("mappings/vendors/ihealth-blood-pressure.yaml", "mappings/tests/ihealth-bp/input.json",
                "--patient", "MRN-4001", "--device", "ihealth-user-7");

        assertThat(status).isEqualTo(0);
        assertThat(printed()).contains("loads: structure, expressions, codes and units checked")
                .contains("Canonical observations (6)").contains("\"8480-6\"").contains("\"MANUAL\"")
                .contains("FHIR transaction Bundle that would be sent").contains("\"resourceType\" : \"Bundle\"").endsWith("OK\n");
    }

    @Test
    void differencesFromTheExpectedFileShouldBeListedByPath(@TempDir Path tmp) throws Exception {
        Path expected = tmp.resolve("expected.json");
        Files.writeString(expected, Files.readString(Path.of("mappings/tests/ihealth-bp/expected.json")).replace("\"value\" : 120", "\"value\" : 121"));

        int status = run("ihealth-blood-pressure", "mappings/tests/ihealth-bp/input.json", expected.toString(),
                "--patient", "MRN-4001", "--device", "ihealth-user-7");

        assertThat(status).isEqualTo(1);
        assertThat(printed()).contains("DIFFERENCES from expected (1):").contains("$.observations[0].value: expected 121, got 120");
    }

    @Test
    void brokenMappingFileShouldBeRefusedWithLine(@TempDir Path tmp) throws Exception {
        Path broken = tmp.resolve("broken.yaml");
        Files.writeString(broken, Files.readString(Path.of("mappings/vendors/ihealth-spo2.yaml")).replace("unit: \"%\"", "unit: percent"));

        int status = run(broken.toString(), "mappings/tests/ihealth-spo2/input.json");

        assertThat(status).isEqualTo(2);
        assertThat(printed()).startsWith("REFUSED VIGIL-MAP-001 " + broken + ":").contains("unit 'percent'");
    }

    @Test
    void everyShippedCaseShouldPass() throws Exception {
        long cases;
        try (var folders = Files.list(Path.of("mappings/tests"))) {
            cases = folders.filter(Files::isDirectory).count();
        }

        assertThat(run("--all")).isEqualTo(0);
        assertThat(printed()).contains(cases + " of " + cases + " case(s) passed");
    }
}
