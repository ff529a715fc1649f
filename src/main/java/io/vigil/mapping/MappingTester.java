package io.vigil.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.fhir.FhirBundleBuilder;
import io.vigil.ingest.InvalidPayloadException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The analyst's loop, shared by {@code java -jar vigil.jar mapping test}, POST /api/mappings/test and the golden
 * cases of mappings/tests: a payload through a mapping (named, or chosen by the match expressions), the
 * canonical observations, the FHIR that would be sent, and the differences from an expected report.
 */
public final class MappingTester {

    /** Arrival time of golden cases unless their context.json says otherwise, so TIME-FUTURE is reproducible. */
    public static final Instant CASE_RECEIVED_AT = Instant.parse("2026-11-24T12:00:00Z");

    /**
     * @param report {@link MappingReport} of the result; when no mapping applied, {"refused": code}
     * @param refusal why no mapping applied (VIGIL-MAP-002) or the payload could not be read
     * @param differences against the expected report; empty when none was given or all matched
     */
    public record Outcome(ObjectNode report, String fhirBundle, String refusal, List<String> differences,
                          List<String> alsoMatched) {

        /** Without an expected report: whether every record was read. With one: whether the result equals it. */
        public boolean passed(boolean expectedGiven) {
            if (expectedGiven) {
                return differences.isEmpty();
            }
            return refusal == null && report.get("rejected").isEmpty();
        }
    }

    private final FhirBundleBuilder bundles;

    public MappingTester(FhirBundleBuilder bundles) {
        this.bundles = bundles;
    }

    public Outcome run(VendorMappings.Snapshot snapshot, VendorMappings mappings, byte[] payload,
                       IngestContext context, JsonNode expected) {
        try {
            VendorMappings.Selection selection = mappings.select(snapshot, payload, context, true);
            MappingResult result = snapshot.mapper().map(selection.mapping(), selection.root(), payload, context);
            ObjectNode report = MappingReport.of(result);
            String fhir = result.batch().observations().isEmpty() ? null
                    : bundles.toJson(bundles.build(result.batch(), "none"));
            return new Outcome(report, fhir, null, expected == null ? List.of() : MappingReport.diff(expected, report),
                    selection.alsoMatched());
        } catch (InvalidPayloadException e) {
            // the code only: the reason names the mappings tried, which change as mappings are added
            java.util.regex.Matcher code = java.util.regex.Pattern.compile("VIGIL-[A-Z]+-\\d{3}").matcher(e.getMessage());
            ObjectNode refusal = MappingReport.JSON.createObjectNode().put("refused", code.find() ? code.group() : e.getMessage());
            List<String> differences = expected == null ? List.of() : MappingReport.diff(expected, refusal);
            return new Outcome(refusal, null, e.getMessage(), differences, List.of());
        }
    }

    /** A golden case folder: input.json or input.csv, expected.json, optional context.json. */
    public record Case(Path folder, byte[] payload, IngestContext context, JsonNode expected) {

        public static Case read(Path folder) throws java.io.IOException {
            Optional<Path> input = Files.list(folder).filter(f -> f.getFileName().toString().startsWith("input.")).findFirst();
            if (input.isEmpty()) {
                throw new java.io.IOException(folder + " has no input.json or input.csv");
            }
            Path contextFile = folder.resolve("context.json");
            JsonNode c = Files.exists(contextFile) ? MappingReport.JSON.readTree(contextFile.toFile())
                    : MappingReport.JSON.createObjectNode();
            IngestContext context = new IngestContext(c.path("protocol").asText("http"),
                    c.path("source").asText(folder.getFileName().toString()),
                    c.hasNonNull("device") ? c.get("device").asText() : null,
                    c.hasNonNull("patient") ? c.get("patient").asText() : null,
                    c.hasNonNull("receivedAt") ? Instant.parse(c.get("receivedAt").asText()) : CASE_RECEIVED_AT);
            Path expectedFile = folder.resolve("expected.json");
            JsonNode expected = Files.exists(expectedFile) ? MappingReport.JSON.readTree(expectedFile.toFile()) : null;
            return new Case(folder, Files.readAllBytes(input.get()), context, expected);
        }
    }
}
