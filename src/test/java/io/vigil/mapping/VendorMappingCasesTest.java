package io.vigil.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.fhir.FhirBundleBuilder;
import io.vigil.governance.DeviceRegistry;
import io.vigil.governance.GovernanceEvaluator;
import io.vigil.governance.GovernanceOutcome;
import io.vigil.model.DeviceObservation;
import io.vigil.normalize.Units;
import io.vigil.rules.ClinicalParameters;
import io.vigil.rules.RuleEngine;
import io.vigil.support.FhirValidation;
import io.vigil.support.TestFolders;
import io.vigil.support.TestPipeline;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every case folder under mappings/tests, through the shipped mappings, as `mapping test --all` runs them. */
class VendorMappingCasesTest {

    static VendorMappings mappings;
    static MappingTester tester;

    @BeforeAll
    static void load() {
        mappings = new VendorMappings(Path.of("mappings"), TestPipeline.TERMINOLOGY,
                Units.load(Path.of("mappings"), TestPipeline.TERMINOLOGY), "urn:vigil:patient-id", Duration.ofMinutes(5));
        tester = new MappingTester(TestPipeline.BUNDLES);
    }

    static Stream<Path> cases() throws IOException {
        return Files.list(Path.of("mappings/tests")).filter(Files::isDirectory).sorted();
    }

    @Test
    void everyShippedMappingShouldLoad() {
        assertThat(mappings.snapshot().refused()).isEmpty();
        assertThat(mappings.snapshot().mappings()).extracting(MappingDefinition::name).contains(
                "azure-iot-hub", "azure-iot-central", "open-mhealth", "withings-body-measures", "ihealth-blood-pressure",
                "ihealth-spo2", "ihealth-glucose", "ihealth-weight", "fitbit-heart-intraday", "dexcom-egvs");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void caseShouldGiveItsExpectedResultAndValidFhir(Path folder) throws Exception {
        MappingTester.Case c = MappingTester.Case.read(folder);
        assertThat(c.expected()).as("expected.json of " + folder).isNotNull();

        MappingTester.Outcome outcome = tester.run(mappings.snapshot(), mappings, c.payload(), c.context(), c.expected());

        assertThat(outcome.differences()).as("differences from " + folder + "/expected.json").isEmpty();
        if (outcome.fhirBundle() != null) {
            Bundle bundle = TestPipeline.FHIR.newJsonParser().parseResource(Bundle.class, outcome.fhirBundle());
            assertThat(FhirValidation.errors(bundle)).as("FHIR validation of " + folder).isEmpty();
        }
    }

    @Test
    void fahrenheitShouldBeChartedInCelsiusAndTheReversedIntervalExcludedFromScores() throws Exception {
        List<DeviceObservation> observations = map("omh-body-temperature").batch().observations();

        assertThat(observations).singleElement().satisfies(o -> {
            assertThat(o.value().quantity()).isEqualByComparingTo("35.83");
            assertThat(o.value().ucum()).isEqualTo("Cel");
            assertThat(o.value().unitAsSent()).isEqualTo("F");
            assertThat(o.flags()).containsExactly(VendorMapper.FLAG_END_BEFORE_START);
        });
        assertThat(governance("omh-body-temperature").excluded()).containsOnlyKeys(0)
                .extractingByKey(0).extracting(d -> d.code()).isEqualTo("VIGIL-GOV-006");
    }

    @Test
    void aTimeFarAheadOfArrivalShouldBeFlaggedAndNotScored() throws Exception {
        byte[] payload = "{\"heart_rate\": {\"value\": 71, \"unit\": \"beats/min\"}, \"effective_time_frame\": {\"date_time\": \"2031-01-01T00:00:00Z\"}}"
                .getBytes();
        IngestContext context = new IngestContext("http", "open-mhealth", "phone-1", "MRN-9", MappingTester.CASE_RECEIVED_AT);
        VendorMappings.Selection selection = mappings.select(mappings.snapshot(), payload, context);
        MappingResult result = mappings.snapshot().mapper().map(selection.mapping(), selection.root(), payload, context);

        assertThat(result.batch().observations()).singleElement()
                .satisfies(o -> assertThat(o.flags()).containsExactly(VendorMapper.FLAG_FUTURE));
        RuleEngine engine = new RuleEngine(Path.of("rules"));
        GovernanceOutcome outcome = new GovernanceEvaluator(engine, ClinicalParameters.load(Path.of("mappings")),
                new DeviceRegistry(TestFolders.create("registry").resolve("devices.json"), List.of()), false)
                .evaluate(result.batch(), true);
        assertThat(outcome.excluded().get(0).code()).isEqualTo("VIGIL-GOV-006");
    }

    @Test
    void iotCentralDiastolicOfSevenShouldBeChartedWithoutAValue() throws Exception {
        MappingResult result = map("azure-iot-central-implausible-bp");
        int diastolic = indexOf(result, "8462-4");

        GovernanceOutcome outcome = governance("azure-iot-central-implausible-bp");

        assertThat(outcome.excluded()).containsOnlyKeys(diastolic);
        assertThat(outcome.excluded().get(diastolic).code()).isEqualTo("VIGIL-GOV-004");
    }

    @Test
    void supplementalOxygenShouldReachTheClinicalParameters() throws Exception {
        MappingResult result = map("omh-oxygen-saturation");
        ClinicalParameters parameters = ClinicalParameters.load(Path.of("mappings"));

        assertThat(result.batch().observations()).extracting(o -> parameters.parameterOf(o.code().loinc()).orElse(null))
                .containsExactly("spo2", "oxygen-flow");
    }

    @Test
    void dexcomRecordWithUnknownUnitShouldBeRefusedAndTheOtherCharted() throws Exception {
        MappingResult result = map("dexcom-egvs-unknown-unit");

        assertThat(result.batch().observations()).hasSize(1);
        assertThat(result.rejected()).singleElement().satisfies(p -> {
            assertThat(p.record()).isEqualTo(1);
            assertThat(p.reason()).contains("unit 'unknown'").contains("line");
        });
    }

    @Test
    void aWithingsGroupFetchedAgainInAnotherResponseShouldKeepItsObservationIds() throws Exception {
        MappingTester.Case c = MappingTester.Case.read(Path.of("mappings/tests/withings-body-measures"));
        byte[] other = (new String(c.payload()) + "\n").getBytes();
        MappingResult first = map(c.payload(), c);
        MappingResult second = map(other, c);

        assertThat(second.batch().source().payloadSha256()).isNotEqualTo(first.batch().source().payloadSha256());
        assertThat(FhirBundleBuilder.observationIds(second.batch(), Set.of()).values())
                .containsExactlyInAnyOrderElementsOf(FhirBundleBuilder.observationIds(first.batch(), Set.of()).values())
                .hasSize(9);
    }

    private static MappingResult map(String caseName) throws IOException, io.vigil.ingest.InvalidPayloadException {
        MappingTester.Case c = MappingTester.Case.read(Path.of("mappings/tests", caseName));
        return map(c.payload(), c);
    }

    private static MappingResult map(byte[] payload, MappingTester.Case c) throws io.vigil.ingest.InvalidPayloadException {
        VendorMappings.Selection selection = mappings.select(mappings.snapshot(), payload, c.context());
        return mappings.snapshot().mapper().map(selection.mapping(), selection.root(), payload, c.context());
    }

    private static GovernanceOutcome governance(String caseName) throws Exception {
        RuleEngine engine = new RuleEngine(Path.of("rules"));
        GovernanceEvaluator evaluator = new GovernanceEvaluator(engine, ClinicalParameters.load(Path.of("mappings")),
                new DeviceRegistry(TestFolders.create("registry").resolve("devices.json"), List.of()), false);
        return evaluator.evaluate(map(caseName).batch(), true);
    }

    private static int indexOf(MappingResult result, String loinc) {
        List<DeviceObservation> observations = result.batch().observations();
        for (int i = 0; i < observations.size(); i++) {
            if (loinc.equals(observations.get(i).code().loinc())) {
                return i;
            }
        }
        throw new AssertionError("no " + loinc);
    }
}
