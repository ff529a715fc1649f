package io.vigil.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.governance.SafeHarbor;
import io.vigil.model.ObservationBatch;
import io.vigil.support.Samples;
import io.vigil.support.TestFolders;
import io.vigil.support.TestPipeline;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.SimpleQuantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Property;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
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
            SafeHarbor safeHarbor = new SafeHarbor(TestFolders.create("vigil-fhir-json"));
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

    /**
     * Codes, systems, units and profiles are kept as JSON once written (printable ASCII only): the second and third
     * bundle with the same terms, and terms that need escaping or are not ASCII, blank or empty, still as HAPI writes
     * them.
     */
    @Test
    void shouldWriteTermsAsHapiDoesEveryTime() {
        for (int round = 0; round < 3; round++) {
            Observation observation = new Observation();
            observation.setStatus(Observation.ObservationStatus.FINAL);
            observation.getMeta().addProfile("http://hl7.org/fhir/StructureDefinition/bodytemp").addProfile("urn:p \"q\"");
            observation.getCode().addCoding().setSystem("urn:iso:std:iso:11073:10101").setCode("150364")
                    .setDisplay("MDC_TEMP_BODY");
            observation.getCode().addCoding().setSystem("http://loinc.org").setCode("8310-5")
                    .setDisplay("Température corporelle \u00ab\u6f22\u00bb \uD83D\uDE00");
            observation.getCode().addCoding().setSystem("urn:x").setCode("  ").setDisplay("back\\slash \"quoted\" tab\t");
            observation.getCode().addCoding().setSystem("").setCode("c").setVersion("  2 ");
            observation.setValue(new Quantity().setValue(new BigDecimal("37.2")).setUnit("\u00b0C")
                    .setSystem("http://unitsofmeasure.org").setCode("Cel"));
            observation.addIdentifier().setUse(Identifier.IdentifierUse.USUAL).setSystem("urn:oid:1.2.3").setValue("obs-1");
            Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
            bundle.addEntry().setFullUrl("urn:uuid:" + round).setResource(observation).getRequest()
                    .setMethod(Bundle.HTTPVerb.POST).setUrl("Observation");

            assertSameAsHapi(bundle);
        }
        assertThat(FhirJson.plain("http://loinc.org")).isTrue();
        assertThat(FhirJson.plain("mm[Hg]")).isTrue();
        assertThat(FhirJson.plain("\u00b0C")).isFalse();
        assertThat(FhirJson.plain("a\"b")).isFalse();
        assertThat(FhirJson.plain("a\\b")).isFalse();
        assertThat(FhirJson.plain("tab\t")).isFalse();
        assertThat(FhirJson.plain("del\u007f")).isFalse();
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

        // a modifier extension on a bundle entry (an element written from its fields)
        Bundle modified = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        modified.addEntry().setFullUrl("urn:uuid:1").setResource(new Observation().setStatus(Observation.ObservationStatus.FINAL))
                .addModifierExtension(new Extension("http://example.org/modifier", new StringType("x")));
        assertThat(FhirJson.utf8(modified)).isNull();
        assertThat(TestPipeline.BUNDLES.toJson(modified)).isEqualTo(TestPipeline.BUNDLES.hapiJson(modified))
                .contains("\"modifierExtension\"");
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

    /**
     * The writers for the types every bundle is full of name every child HAPI's definition lists, in its order: one
     * that left a child out would drop it from the JSON without anything else noticing.
     */
    @Test
    void shouldWriteEveryChildOfTheTypesWrittenByTheirGetters() throws Exception {
        assertThat(FhirJson.TYPED).hasSize(13);
        for (var typed : FhirJson.TYPED.entrySet()) {
            Base instance = (Base) typed.getKey().getDeclaredConstructor().newInstance();
            // the id, extensions, a resource's narrative and contained resources are written (or refused) apart
            List<String> apart = instance instanceof DomainResource
                    ? List.of("id", "text", "contained", "extension", "modifierExtension")
                    : List.of("id", "extension", "modifierExtension");
            List<String> defined = instance.children().stream().map(Property::getName)
                    .filter(name -> !apart.contains(name)).toList();
            assertThat(typed.getValue()).as(typed.getKey().getName()).isEqualTo(defined);
        }
    }

    /** Every child of those types given a value, and ids on elements (which go the general way), as HAPI writes them. */
    @Test
    void shouldWriteFullyPopulatedElementsAsHapiDoes() {
        Observation observation = new Observation();
        observation.setId("obs-1");
        observation.getMeta().setVersionId("3").setLastUpdated(new Date(1_764_000_000_000L)).setSource("urn:source")
                .addProfile("http://hl7.org/fhir/StructureDefinition/heartrate");
        observation.getMeta().addSecurity().setSystem("urn:s").setCode("HTEST").setDisplay("test");
        observation.getMeta().addTag().setSystem("urn:t").setVersion("1").setCode("t").setUserSelected(true);
        observation.setImplicitRules("urn:rules").setLanguage("en");
        observation.addIdentifier().setUse(Identifier.IdentifierUse.OFFICIAL).setSystem("urn:id").setValue("1")
                .setPeriod(new Period().setStart(new Date(1_764_000_000_000L)))
                .setAssigner(new Reference("Organization/1").setDisplay("hospital"))
                .getType().setText("identifier type").addCoding().setCode("MR");
        observation.addBasedOn(new Reference("ServiceRequest/1"));
        observation.addPartOf(new Reference("Procedure/1").setType("Procedure"));
        observation.setStatus(Observation.ObservationStatus.AMENDED);
        observation.addCategory().addCoding().setSystem("urn:c").setCode("vital-signs");
        observation.getCode().setText("heart rate").addCoding().setSystem("http://loinc.org").setCode("8867-4");
        observation.getCode().getCodingFirstRep().setId("coding-with-id");
        observation.setSubject(new Reference().setIdentifier(new Identifier().setSystem("urn:mrn").setValue("1")));
        observation.addFocus(new Reference("Patient/2"));
        observation.setEncounter(new Reference("Encounter/1"));
        observation.setEffective(new Period().setStart(new Date(1_764_000_000_000L)).setEnd(new Date(1_764_000_060_000L)));
        observation.setIssued(new Date(1_764_000_000_000L));
        observation.addPerformer(new Reference("Practitioner/1"));
        observation.setValue(new Quantity().setValue(new BigDecimal("60.0")).setComparator(Quantity.QuantityComparator.LESS_THAN)
                .setUnit("/min").setSystem("http://unitsofmeasure.org").setCode("/min"));
        observation.getDataAbsentReason().setText("not absent");
        observation.addInterpretation().setText("normal");
        observation.addNote().setText("a note");
        observation.getBodySite().setText("finger");
        observation.getMethod().setText("oximetry");
        observation.setSpecimen(new Reference("Specimen/1"));
        observation.setDevice(new Reference("Device/1"));
        Observation.ObservationReferenceRangeComponent range = observation.addReferenceRange();
        range.setLow((SimpleQuantity) new SimpleQuantity().setValue(50).setUnit("/min"));
        range.setHigh((SimpleQuantity) new SimpleQuantity().setValue(120).setUnit("/min"));
        range.getType().setText("normal");
        range.addAppliesTo().setText("adults");
        range.getAge().getLow().setValue(18);
        range.setText("alarm limits");
        observation.addHasMember(new Reference("Observation/2"));
        observation.addDerivedFrom(new Reference("Observation/3"));
        Observation.ObservationComponentComponent component = observation.addComponent();
        component.getCode().setText("systolic");
        component.setValue(new Quantity().setValue(120));
        component.getDataAbsentReason().setText("none");
        component.addInterpretation().setText("high");
        component.addReferenceRange().setText("component range");
        component.setId("component-with-id");
        observation.addComponent().setValue(new StringType("text value")).getCode().setText("as text");

        Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        bundle.setId("bundle-1");
        bundle.getMeta().setLastUpdated(new Date(1_764_000_000_000L));
        bundle.setImplicitRules("urn:rules").setLanguage("en");
        bundle.getIdentifier().setSystem("urn:bundle").setValue("1");
        bundle.setTimestamp(new Date(1_764_000_000_000L)).setTotal(1);
        bundle.addLink().setRelation("self").setUrl("http://example.org/Bundle/1");
        Bundle.BundleEntryComponent entry = bundle.addEntry().setFullUrl("urn:uuid:1").setResource(observation);
        entry.addLink().setRelation("alternate").setUrl("http://example.org/Observation/1");
        entry.getSearch().setScore(1);
        entry.getRequest().setMethod(Bundle.HTTPVerb.PUT).setUrl("Observation/obs-1").setIfNoneMatch("*")
                .setIfModifiedSince(new Date(1_764_000_000_000L)).setIfMatch("W/\"1\"").setIfNoneExist("identifier=urn:id|1");
        entry.getResponse().setStatus("201 Created");

        assertSameAsHapi(bundle);
    }

    /**
     * An element's JSON made once (fixed) is what is written wherever the element is; an element the writer leaves to
     * HAPI (here one with an extension) keeps no JSON, and a bundle holding it still goes to HAPI whole.
     */
    @Test
    void shouldWriteFixedElementsAsMadeAndLeaveTheOthersAsTheyAre() {
        CodeableConcept shared = FhirJson.fixed(new CodeableConcept(new Coding("http://loinc.org", "8867-4", "Heart rate"))
                .setText("Heart rate \u00e9\"quoted\""));
        assertThat(FhirJson.isFixed(shared)).isTrue();
        Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        for (int i = 0; i < 3; i++) {
            Observation o = new Observation().setStatus(Observation.ObservationStatus.FINAL).setCode(shared);
            o.addCategory(shared);
            bundle.addEntry().setFullUrl("urn:uuid:00000000-0000-0000-0000-00000000000" + i).setResource(o);
        }
        assertSameAsHapi(bundle);

        CodeableConcept extended = new CodeableConcept().setText("with an extension");
        extended.addExtension("http://example.org/x", new StringType("x"));
        assertThat(FhirJson.fixed(extended)).isSameAs(extended);
        assertThat(FhirJson.isFixed(extended)).isFalse();
        Observation o = new Observation().setStatus(Observation.ObservationStatus.FINAL).setCode(extended);
        assertThat(FhirJson.write(new Bundle().addEntry(new Bundle.BundleEntryComponent().setResource(o)))).isNull();
        assertThat(FhirJson.isFixed(new CodeableConcept())).isFalse();
        assertThat(FhirJson.isFixed(FhirJson.fixed(new CodeableConcept()))).as("nothing to write").isFalse();
    }

    /** Written by Vigil's writer (not left to HAPI), and the same text as HAPI's. */
    public static void assertSameAsHapi(Bundle bundle) {
        String hapi = TestPipeline.BUNDLES.hapiJson(bundle);
        assertThat(FhirJson.write(bundle)).as("Vigil's JSON").isNotNull().isEqualTo(hapi);
        // as the delivery queues store it: the same JSON, written as UTF-8
        assertThat(FhirJson.utf8(bundle)).as("Vigil's JSON as UTF-8").isEqualTo(hapi.getBytes(StandardCharsets.UTF_8));
    }
}
