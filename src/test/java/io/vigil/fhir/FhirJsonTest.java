package io.vigil.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.governance.SafeHarbor;
import io.vigil.model.ObservationBatch;
import io.vigil.support.Samples;
import io.vigil.support.TestPipeline;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Date;
import java.util.List;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Vigil's JSON writer against HAPI's, which stays the reference: the same text for every bundle. */
public class FhirJsonTest {

    private static final List<String> PCD01_SAMPLES = List.of("01", "02", "03", "04", "05", "12");

    /**
     * The treatment and the de-identified bundle of every PCD-01 sample; the golden cases and the rule scenarios
     * (alerts, risk assessments, values not charted) check theirs with {@link #assertSameAsHapi}.
     */
    @TestFactory
    Stream<DynamicTest> shouldWriteWhatHapiWritesForEverySampleBundle() {
        return PCD01_SAMPLES.stream().map(sample -> DynamicTest.dynamicTest("sample " + sample, () -> {
            ObservationBatch batch = TestPipeline.extract(Samples.hl7(sample));
            assertSameAsHapi(TestPipeline.bundle(batch));
            SafeHarbor safeHarbor = new SafeHarbor(Files.createTempDirectory("vigil-fhir-json"));
            assertSameAsHapi(TestPipeline.BUNDLES.buildDeidentified(safeHarbor.deidentify(batch), "none", "HRESCH"));
        }));
    }

    @Test
    void shouldEscapeFormatAndLeaveOutEmptyValuesAsHapiDoes() {
        Observation observation = new Observation();
        observation.setStatus(Observation.ObservationStatus.FINAL);
        observation.getCode().setText("quote \" backslash \\ tab \t newline \n control \u0001 <tag> & é 漢 \uD83D\uDE00 /");
        observation.addNote().setText("   ");
        observation.setEffective(new DateTimeType("2026-11-24T10:30:15.120+01:00"));
        observation.setValue(new Quantity().setValue(new BigDecimal("98.60")).setUnit("[degF]"));
        observation.addComponent().setValue(new IntegerType(-7)).getCode().setText("integer");
        observation.addComponent().setValue(new BooleanType(false)).getCode().setText("boolean");
        observation.addComponent().setValue(new Quantity().setValue(new BigDecimal("1E+3"))).getCode().setText("exponent");
        observation.addComponent().setValue(new StringType("")).getCode().setText("blank value left out");
        observation.setIssued(new Date(1_764_000_000_000L));
        observation.addCategory().addCoding().setSystem("");
        observation.addCategory().setText("kept, beside an empty one");
        observation.addIdentifier();
        observation.getMethod().addCoding();
        observation.addPartOf().setReference("Procedure/1");
        Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        bundle.addEntry().setFullUrl("urn:uuid:1").setResource(observation);

        assertSameAsHapi(bundle);
    }

    @Test
    void shouldLeaveWhatItDoesNotWriteToHapi() {
        Observation observation = new Observation();
        observation.setStatus(Observation.ObservationStatus.FINAL);
        observation.getCode().getTextElement().setValue("coded").addExtension(
                new Extension("http://example.org/primitive-extension", new StringType("x")));
        Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        bundle.addEntry().setResource(observation);

        assertThat(FhirJson.write(bundle)).isNull();
        assertThat(FhirJson.utf8(bundle)).isNull();
        assertThat(TestPipeline.BUNDLES.toUtf8(bundle))
                .isEqualTo(TestPipeline.BUNDLES.hapiJson(bundle).getBytes(StandardCharsets.UTF_8));
        assertThat(TestPipeline.BUNDLES.toJson(bundle)).isEqualTo(TestPipeline.BUNDLES.hapiJson(bundle))
                .contains("\"_text\"");
    }

    /**
     * Buffers reused between resources on one thread: a bundle of about 350 KB, then one left to HAPI part-way
     * through, then a small one, each the same as HAPI's.
     */
    @Test
    void shouldWriteLargeThenAbandonedThenSmallBundlesOnOneThreadAsHapiDoes() throws Exception {
        Bundle large = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        for (int i = 0; i < 2000; i++) {
            Observation observation = new Observation();
            observation.setStatus(Observation.ObservationStatus.FINAL);
            observation.getCode().setText("observation " + i + " \u00e9\u6f22 \uD83D\uDE00");
            observation.setValue(new Quantity().setValue(new BigDecimal(i + ".5")).setUnit("/min"));
            large.addEntry().setFullUrl("urn:uuid:" + i).setResource(observation);
        }
        byte[] written = FhirJson.utf8(large);
        assertThat(written.length).as("far beyond the generator's buffer").isGreaterThan(300_000);
        assertSameAsHapi(large);

        Observation abandoned = new Observation();
        abandoned.getCode().setText("written first");
        abandoned.addNote().getTextElement().setValue("then an extension").addExtension(
                new Extension("http://example.org/primitive-extension", new StringType("x")));
        Bundle withAbandoned = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        withAbandoned.addEntry().setResource(abandoned);
        assertThat(FhirJson.utf8(withAbandoned)).isNull();

        assertSameAsHapi(TestPipeline.bundle(TestPipeline.extract(Samples.hl7("04"))));
    }

    /** Written by Vigil's writer (not left to HAPI), and the same text as HAPI's. */
    public static void assertSameAsHapi(Bundle bundle) {
        String hapi = TestPipeline.BUNDLES.hapiJson(bundle);
        assertThat(FhirJson.write(bundle)).as("Vigil's JSON").isNotNull().isEqualTo(hapi);
        // as the delivery queues store it: the same JSON, written as UTF-8
        assertThat(FhirJson.utf8(bundle)).as("Vigil's JSON as UTF-8").isEqualTo(hapi.getBytes(StandardCharsets.UTF_8));
    }
}
