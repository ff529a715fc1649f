package io.vigil.mapping;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.fhir.FhirBundleBuilder;
import io.vigil.normalize.Terminology;
import io.vigil.normalize.Units;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code java -jar vigil.jar mapping test ...}: an analyst tries a mapping against a payload before it goes live.
 * <pre>
 *   mapping test &lt;mapping.yaml|name&gt; &lt;payload&gt; [expected.json] [--patient ID] [--device ID] [--source S]
 *   mapping test &lt;case folder&gt;...        input.* + expected.json (+ context.json), as in mappings/tests
 *   mapping test --all                   every case under mappings/tests
 *   mapping test &lt;case folder&gt; --write   record the current result as the case's expected.json
 * </pre>
 * Exit status 0: as expected (or, without an expected file, every record read); 1: differences, refused records
 * or no mapping applies; 2: usage error or the mapping file is refused.
 */
public final class MappingCommand {

    private final PrintStream out;
    private final Path mappingsDir;
    private final FhirBundleBuilder bundles;
    private final Terminology terminology;
    private final Units units;

    MappingCommand(PrintStream out, Path mappingsDir) {
        this.out = out;
        this.mappingsDir = mappingsDir;
        this.terminology = Terminology.load(mappingsDir);
        this.units = Units.load(mappingsDir, terminology);
        this.bundles = new FhirBundleBuilder(FhirContext.forR4(), terminology);
    }

    public static void main(String[] args) throws IOException {
        List<String> rest = new ArrayList<>(List.of(args).subList(1, args.length));
        if (rest.isEmpty() || !"test".equals(rest.get(0))) {
            System.err.println("usage: java -jar vigil.jar mapping test <mapping.yaml|name> <payload> [expected.json]"
                    + " [--patient ID] [--device ID] [--source NAME] | <case folder>... [--write] | --all");
            System.exit(2);
        }
        rest.remove(0);
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        Path mappings = Path.of(option(rest, "--mappings", "mappings"));
        System.exit(new MappingCommand(System.out, mappings).test(rest));
    }

    int test(List<String> args) throws IOException {
        String patient = option(args, "--patient", null);
        String device = option(args, "--device", null);
        String source = option(args, "--source", null);
        boolean write = args.remove("--write");
        if (args.remove("--all")) {
            try (Stream<Path> cases = Files.list(mappingsDir.resolve("tests"))) {
                args.addAll(cases.filter(Files::isDirectory).sorted().map(Path::toString).toList());
            }
        }
        if (args.isEmpty()) {
            out.println("nothing to test: give a mapping and a payload, case folders, or --all");
            return 2;
        }
        VendorMappings mappings = new VendorMappings(mappingsDir, terminology, units, "urn:vigil:patient-id", Duration.ofMinutes(5));
        if (Files.isDirectory(Path.of(args.get(0)))) {
            int worst = 0;
            int passed = 0;
            for (String folder : args) {
                MappingTester.Case c = MappingTester.Case.read(Path.of(folder));
                int status = runCase(mappings, c, write);
                passed += status == 0 ? 1 : 0;
                worst = Math.max(worst, status);
            }
            out.printf("%n%d of %d case(s) passed%n", passed, args.size());
            return worst;
        }
        if (args.size() < 2) {
            out.println("give a mapping (file or name) and a payload file");
            return 2;
        }
        VendorMappings.Snapshot snapshot = mappings.snapshot();
        String mappingArg = args.get(0);
        String name = mappingArg;
        Path mappingFile = Path.of(mappingArg);
        if (Files.isRegularFile(mappingFile)) {
            try {
                MappingLoader loader = new MappingLoader(terminology, units, snapshot.codeMaps());
                MappingDefinition tried = loader.load(mappingFile.toString(),
                        mappingFile.getFileName().toString().replaceFirst("\\.ya?ml$", ""), Files.readString(mappingFile));
                List<MappingDefinition> only = List.of(tried);
                snapshot = new VendorMappings.Snapshot(only, snapshot.codeMaps(), snapshot.mapper(), snapshot.refused());
                name = tried.name();
                out.println("Mapping " + tried.name() + " (" + mappingFile + ", version " + tried.version() + ") loads: structure, expressions, codes and units checked");
            } catch (MappingRejectedException e) {
                out.println("REFUSED " + e.getMessage());
                return 2;
            }
        } else if (snapshot.byName(name).isEmpty()) {
            out.println("no mapping named '" + name + "' in " + mappingsDir.resolve("vendors") + " and no such file");
            snapshot.refused().values().forEach(r -> out.println("  refused: " + r));
            return 2;
        }
        byte[] payload = Files.readAllBytes(Path.of(args.get(1)));
        JsonNode expected = args.size() > 2 ? MappingReport.JSON.readTree(Path.of(args.get(2)).toFile()) : null;
        IngestContext context = new IngestContext("file", source != null ? source : name, device, patient, Instant.now());
        MappingTester.Outcome outcome = new MappingTester(bundles).run(snapshot, mappings, payload, context, expected);
        print(outcome, true);
        return outcome.passed(expected != null) ? 0 : 1;
    }

    private int runCase(VendorMappings mappings, MappingTester.Case c, boolean write) throws IOException {
        MappingTester.Outcome outcome = new MappingTester(bundles).run(mappings.snapshot(), mappings, c.payload(),
                c.context(), write ? null : c.expected());
        out.println("== " + c.folder());
        if (write) {
            Files.writeString(c.folder().resolve("expected.json"), MappingReport.JSON.writeValueAsString(outcome.report()) + "\n");
            out.println("wrote " + c.folder().resolve("expected.json"));
            return 0;
        }
        print(outcome, false);
        if (c.expected() == null) {
            out.println("FAIL no expected.json (record one with --write after checking the result)");
            return 1;
        }
        return outcome.passed(true) ? 0 : 1;
    }

    private void print(MappingTester.Outcome outcome, boolean withFhir) throws IOException {
        if (outcome.refusal() != null) {
            out.println("NO MAPPING " + outcome.refusal());
        } else {
            out.println("Canonical observations (" + outcome.report().get("observations").size() + "):");
            out.println(MappingReport.JSON.writeValueAsString(outcome.report()));
            if (!outcome.alsoMatched().isEmpty()) {
                out.println("note: the payload also matches " + outcome.alsoMatched() + "; the first in file order applies");
            }
            if (withFhir && outcome.fhirBundle() != null) {
                out.println("FHIR transaction Bundle that would be sent (before rules):");
                out.println(MappingReport.JSON.writeValueAsString(MappingReport.JSON.readTree(outcome.fhirBundle())));
            }
        }
        if (outcome.differences().isEmpty()) {
            out.println("OK");
        } else {
            out.println("DIFFERENCES from expected (" + outcome.differences().size() + "):");
            outcome.differences().forEach(d -> out.println("  " + d));
        }
    }

    private static String option(List<String> args, String name, String fallback) {
        int i = args.indexOf(name);
        if (i < 0 || i + 1 >= args.size()) {
            return fallback;
        }
        String value = args.get(i + 1);
        args.remove(i + 1);
        args.remove(i);
        return value;
    }
}
