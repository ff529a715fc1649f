package io.vigil.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.ObservationBatch;
import io.vigil.support.FhirValidation;
import io.vigil.support.Samples;
import io.vigil.support.TestPipeline;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.Test;

class FhirBundleBuilderTest {

    private static Bundle bundleOf(String sample) throws Exception {
        return TestPipeline.bundle(TestPipeline.extract(Samples.hl7(sample)));
    }

    private static Observation observation(Bundle bundle, String loinc) {
        return bundle.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
                .filter(Observation.class::isInstance).map(Observation.class::cast)
                .filter(o -> o.getCode().getCoding().stream().anyMatch(c -> loinc.equals(c.getCode())))
                .findFirst().orElseThrow();
    }

    @Test
    void shouldBuildTheSameBundleForTheSameMessage() throws Exception {
        assertThat(TestPipeline.BUNDLES.toJson(bundleOf("04"))).isEqualTo(TestPipeline.BUNDLES.toJson(bundleOf("04")));
    }

    /** Processing derives the observations' identifiers once for the rules and hands them on: the same bundle. */
    @Test
    void shouldBuildTheSameBundleWithTheIdentifiersGivenAsWithoutThem() throws Exception {
        for (String sample : java.util.List.of("01", "02", "03", "04", "05")) {
            ObservationBatch batch = TestPipeline.extract(Samples.hl7(sample));
            for (java.util.Map<Integer, io.vigil.rules.GovernanceDecisions.Decision> excluded : java.util.List.of(
                    java.util.Map.<Integer, io.vigil.rules.GovernanceDecisions.Decision>of(),
                    java.util.Map.of(0, new io.vigil.rules.GovernanceDecisions.Decision("VIGIL-GOV-TEST", "excluded for the test", "test rule")))) {
                var ids = FhirBundleBuilder.observationIds(batch, excluded.keySet());
                assertThat(TestPipeline.BUNDLES.toJson(TestPipeline.BUNDLES.build(batch, excluded, java.util.List.of(), "rules-1", ids)))
                        .as("sample %s, %d excluded", sample, excluded.size())
                        .isEqualTo(TestPipeline.BUNDLES.toJson(TestPipeline.BUNDLES.build(batch, excluded, java.util.List.of(), "rules-1")));
            }
        }
    }

    /** Observations of one message share its time's FHIR element; one measured at another time keeps its own. */
    @Test
    void shouldGiveEachObservationItsOwnTime() throws Exception {
        String hl7 = Samples.hl7("04");
        Bundle same = TestPipeline.bundle(TestPipeline.extract(hl7));
        assertThat(observation(same, "85354-9").getEffectiveDateTimeType().getValueAsString())
                .isEqualTo("2011-06-02T04:58:42+00:00");
        assertThat(observation(same, "8867-4").getEffectiveDateTimeType().getValueAsString())
                .isEqualTo("2011-06-02T04:58:42+00:00");

        // the pulse rate (OBX 7) measured 78 s later, after the blood pressure
        String later = hl7.replace("|63|{beat}/min^{beat}/min^UCUM|||||R|||20110602045842+0000",
                "|63|{beat}/min^{beat}/min^UCUM|||||R|||20110602050000+0000");
        assertThat(later).isNotEqualTo(hl7);
        Bundle apart = TestPipeline.bundle(TestPipeline.extract(later));
        assertThat(observation(apart, "85354-9").getEffectiveDateTimeType().getValueAsString())
                .isEqualTo("2011-06-02T04:58:42+00:00");
        assertThat(observation(apart, "8867-4").getEffectiveDateTimeType().getValueAsString())
                .isEqualTo("2011-06-02T05:00:00+00:00");
        assertThat(TestPipeline.BUNDLES.toJson(apart)).contains("\"effectiveDateTime\":\"2011-06-02T05:00:00+00:00\"")
                .contains("\"effectiveDateTime\":\"2011-06-02T04:58:42+00:00\"");
    }

    /**
     * The code, category, profile claim and Provenance roles every bundle repeats are made once and shared, each with its JSON made
     * once (FhirJson.fixed); the bundles' JSON stays what HAPI writes, and a de-identified bundle, which drops the
     * profile claims, leaves the shared ones as they were.
     */
    @Test
    void shouldShareTheElementsEveryBundleRepeatsAndLeaveThemUnchanged() throws Exception {
        Bundle first = bundleOf("04");
        Bundle second = bundleOf("04");
        Observation heartRate = observation(first, "8867-4");
        Observation again = observation(second, "8867-4");
        assertThat(again).isNotSameAs(heartRate);
        assertThat(again.getCode()).isSameAs(heartRate.getCode()).matches(FhirJson::isFixed, "carries its JSON");
        assertThat(again.getCategoryFirstRep()).isSameAs(heartRate.getCategoryFirstRep()).matches(FhirJson::isFixed,
                "carries its JSON");
        assertThat(again.getMeta()).isSameAs(heartRate.getMeta()).matches(FhirJson::isFixed, "carries its JSON");
        Observation panel = observation(first, "85354-9");
        assertThat(panel.getComponent()).allSatisfy(c -> assertThat(c.getCode()).matches(FhirJson::isFixed, "shared"));
        assertThat(panel.getMeta().getProfile()).extracting(p -> p.getValue())
                .containsExactly(VitalSignProfiles.BASE + "bp");
        org.hl7.fhir.r4.model.Provenance provenance = (org.hl7.fhir.r4.model.Provenance) first.getEntry()
                .get(first.getEntry().size() - 1).getResource();
        assertThat(provenance.getAgent()).hasSize(3).allSatisfy(agent ->
                assertThat(agent.getType()).matches(FhirJson::isFixed, "a shared role"));
        assertThat(provenance.getAgent().get(2).getWho()).matches(FhirJson::isFixed, "Vigil, shared");
        FhirJsonTest.assertSameAsHapi(first);
        String before = TestPipeline.BUNDLES.toJson(first);

        ObservationBatch batch = TestPipeline.extract(Samples.hl7("04"));
        Bundle research = TestPipeline.BUNDLES.buildDeidentified(batch, "none", "HRESCH");
        assertThat(observation(research, "8867-4").getMeta().getProfile()).isEmpty();
        FhirJsonTest.assertSameAsHapi(research);

        assertThat(heartRate.getMeta().getProfile()).extracting(p -> p.getValue())
                .containsExactly(VitalSignProfiles.BASE + "heartrate");
        assertThat(TestPipeline.BUNDLES.toJson(first)).isEqualTo(before);
        assertThat(TestPipeline.BUNDLES.toJson(bundleOf("04"))).isEqualTo(before);
    }

    @Test
    void shouldMakeEveryEntryIdempotent() throws Exception {
        assertThat(bundleOf("04").getEntry()).allSatisfy(e -> {
            if (e.getRequest().getMethod() == Bundle.HTTPVerb.POST) {
                assertThat(e.getRequest().getIfNoneExist()).startsWith("identifier=");
            } else {
                assertThat(e.getRequest().getMethod()).isEqualTo(Bundle.HTTPVerb.PUT);
                assertThat(e.getRequest().getUrl()).matches("Provenance/vigil-[0-9a-f-]{36}|\\w+\\?identifier=.+");
            }
        });
    }

    @Test
    void shouldGiveEveryResourceAProvenanceNamingMessageHashAndVersions() throws Exception {
        Bundle bundle = bundleOf("04");
        var provenance = bundle.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
                .filter(org.hl7.fhir.r4.model.Provenance.class::isInstance).map(org.hl7.fhir.r4.model.Provenance.class::cast)
                .findFirst().orElseThrow();

        assertThat(provenance.getTarget()).hasSize(bundle.getEntry().size() - 1);
        assertThat(provenance.getEntity()).extracting(e -> e.getWhat().getIdentifier().getValue())
                .contains("hl7v2-mllp:ACME_Gateway:0104ef190d604db188c3", "0");
        assertThat(provenance.getPolicy()).extracting(p -> p.getValue())
                .contains("urn:vigil:mappings:" + TestPipeline.TERMINOLOGY.version(), "urn:vigil:rules:none");
    }

    @Test
    void shouldGiveObservationsOfDifferentMessagesDifferentIdentifiers() throws Exception {
        String hl7 = Samples.hl7("04");
        Bundle first = TestPipeline.bundle(TestPipeline.extract(hl7));
        Bundle second = TestPipeline.bundle(TestPipeline.extract(hl7.replace("0104ef190d604db188c3", "other-id")));

        assertThat(observation(first, "8867-4").getIdentifierFirstRep().getValue())
                .isNotEqualTo(observation(second, "8867-4").getIdentifierFirstRep().getValue());
    }

    @Test
    void shouldSplitAnIncompleteBloodPressureIntoSingleValues() throws Exception {
        String systolicOnly = Samples.hl7("04").replaceAll("OBX\\|5\\|[^\\r]*\\r", "");
        Bundle bundle = TestPipeline.bundle(TestPipeline.extract(systolicOnly));

        assertThat(bundle.getEntry()).noneMatch(e -> e.getResource() instanceof Observation o
                && "85354-9".equals(o.getCode().getCodingFirstRep().getCode()));
        assertThat(observation(bundle, "8480-6").getValueQuantity().getValue()).isEqualByComparingTo("120");
        assertThat(FhirValidation.errors(bundle)).isEmpty();
    }

    @Test
    void shouldNotClaimAProfileForAUnitTheProfileForbids() throws Exception {
        String bpm = Samples.hl7("04").replace("{beat}/min^{beat}/min^UCUM", "beats^beats^LOCAL");
        ObservationBatch batch = TestPipeline.extract(bpm);
        Observation pulse = observation(TestPipeline.bundle(batch), "8867-4");

        assertThat(pulse.getMeta().getProfile()).isEmpty();
        assertThat(pulse.getValueQuantity().getUnit()).isEqualTo("beats");
    }

    @Test
    void validatorShouldReportAProfileViolation() throws Exception {
        Bundle bundle = bundleOf("04");
        Observation panel = observation(bundle, "85354-9");
        panel.getComponent().clear(); // the bp profile requires systolic and diastolic components

        assertThat(FhirValidation.errors(bundle)).isNotEmpty();
    }
}
