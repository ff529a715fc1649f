package io.vigil.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ValidationResult;
import io.vigil.fhir.FhirProcessing;
import io.vigil.model.ObservationBatch;
import io.vigil.support.TestPipeline;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.Test;

class DeliveryBatchTest {

    /** Sample 04 (NIBP panel and pulse) twice with different control ids: two bundles of one patient and device. */
    static DeliveryBatch.Member member(String controlId) throws Exception {
        String hl7 = Files.readString(Path.of("src/test/resources/samples/hl7/04_pcd01_acme_gateway_nibp.hl7"))
                .replace("\n", "\r");
        String original = hl7.split("\r")[0].split("\\|")[9];
        ObservationBatch batch = TestPipeline.extract(hl7.replace("|" + original + "|", "|" + controlId + "|"));
        String json = TestPipeline.FHIR.newJsonParser().encodeResourceToString(TestPipeline.bundle(batch));
        return new DeliveryBatch.Member(json.getBytes(StandardCharsets.UTF_8), Map.of(FhirProcessing.PATIENT_KEYS, "patient-1", "VigilMessageControlId", controlId));
    }

    @Test
    void bundlesOfOnePatientMergeIntoOneValidTransactionWithSharedResourcesOnce() throws Exception {
        DeliveryBatch.Member a = member("CTRL-A");
        DeliveryBatch.Member b = member("CTRL-B");
        Bundle first = TestPipeline.FHIR.newJsonParser().parseResource(Bundle.class, text(a.bundle()));

        Bundle merged = TestPipeline.FHIR.newJsonParser().parseResource(Bundle.class, text(DeliveryBatch.merge(List.of(a, b))));

        long observationsEach = first.getEntry().stream().filter(e -> e.getResource() instanceof Observation).count();
        long observations = merged.getEntry().stream().filter(e -> e.getResource() instanceof Observation).count();
        assertThat(merged.getType()).isEqualTo(Bundle.BundleType.TRANSACTION);
        assertThat(observations).isEqualTo(2 * observationsEach);
        assertThat(merged.getEntry()).filteredOn(e -> "Patient".equals(e.getResource().fhirType())).hasSize(1);
        assertThat(merged.getEntry()).filteredOn(e -> "Device".equals(e.getResource().fhirType())).hasSize(1);
        assertThat(merged.getEntry().stream().map(Bundle.BundleEntryComponent::getFullUrl).distinct().count())
                .isEqualTo(merged.getEntry().size());
        FhirValidator validator = TestPipeline.FHIR.newValidator();
        ValidationResult result = validator.validateWithResult(merged);
        assertThat(result.isSuccessful()).as(result.getMessages().toString()).isTrue();
    }

    @Test
    void aResentBundleInTheSameBatchAddsNothing() throws Exception {
        DeliveryBatch.Member a = member("CTRL-A");

        String merged = text(DeliveryBatch.merge(List.of(a, a)));

        Bundle once = TestPipeline.FHIR.newJsonParser().parseResource(Bundle.class, text(a.bundle()));
        Bundle twice = TestPipeline.FHIR.newJsonParser().parseResource(Bundle.class, merged);
        assertThat(twice.getEntry()).hasSameSizeAs(once.getEntry());
    }

    @Test
    void aSplitGroupKeepsItsMembersInOrderAndTheOtherGroupsInPlace() {
        List<DeliveryBatch.Member> members = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            members.add(new DeliveryBatch.Member(text("{}"), Map.of(FhirProcessing.PATIENT_KEYS, "patient-1", "VigilMessageControlId", "A" + i)));
        }
        members.add(new DeliveryBatch.Member(text("{}"), Map.of(FhirProcessing.PATIENT_KEYS, "patient-2", "VigilMessageControlId", "B0")));
        DeliveryBatch batch = DeliveryBatch.of(members);
        batch.groups.get(1).delivered = true;

        batch.split(0);

        assertThat(batch.groups).hasSize(3);
        assertThat(batch.groups.get(0).members).extracting(m -> m.headers().get("VigilMessageControlId")).containsExactly("A0", "A1");
        assertThat(batch.groups.get(1).members).extracting(m -> m.headers().get("VigilMessageControlId")).containsExactly("A2", "A3", "A4");
        assertThat(batch.groups.get(1).delivered).isFalse();
        assertThat(batch.groups.get(2).delivered).as("the other patient's group, delivered before").isTrue();
        assertThat(batch.members).as("every member is still the batch's, for its commit or dead-lettering").hasSize(6);
    }

    @Test
    void theMembersAfterTheFirstShouldBecomeDeadLetterMessagesWithTheirBodiesAndHeaders() throws Exception {
        List<DeliveryBatch.Member> members = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            members.add(new DeliveryBatch.Member(text("{\"n\":" + i + "}"), Map.of(FhirProcessing.PATIENT_KEYS, "patient-" + i,
                    "VigilMessageControlId", "C" + i)));
        }
        try (org.apache.camel.CamelContext camel = new org.apache.camel.impl.DefaultCamelContext()) {
            List<org.apache.camel.Message> others = DeliveryBatch.of(members).others(camel);

            assertThat(others).hasSize(2);
            assertThat(others).extracting(m -> m.getBody(String.class)).containsExactly("{\"n\":1}", "{\"n\":2}");
            assertThat(others).extracting(m -> m.getHeader("VigilMessageControlId")).containsExactly("C1", "C2");
            assertThat(others.get(1)).as("made once, the same message on every read").isSameAs(others.get(1));
            others.get(0).setHeader("VigilFailureReason", "refused");
            assertThat(members.get(1).headers()).as("the dead letter's headers are its own").doesNotContainKey("VigilFailureReason");
        }
    }

    static String text(byte[] utf8) {
        return new String(utf8, StandardCharsets.UTF_8);
    }

    static byte[] text(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
