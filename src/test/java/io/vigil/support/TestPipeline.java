package io.vigil.support;

import ca.uhn.fhir.context.FhirContext;
import io.vigil.fhir.FhirBundleBuilder;
import io.vigil.hl7.Hl7Codec;
import io.vigil.hl7.Hl7Rejection;
import io.vigil.hl7.PatientIdentifierSystems;
import io.vigil.hl7.Pcd01Extractor;
import io.vigil.hl7.VendorCodes;
import io.vigil.normalize.CodeMaps;
import io.vigil.normalize.Units;
import io.vigil.model.ObservationBatch;
import io.vigil.normalize.Terminology;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;

/** The production parse, extract and build chain, wired as the appliance wires it, on the repo's mappings/. */
public final class TestPipeline {

    public static final FhirContext FHIR = FhirContext.forR4Cached();
    public static final Terminology TERMINOLOGY = Terminology.load(Path.of("mappings"));
    public static final Hl7Codec CODEC = new Hl7Codec(StandardCharsets.UTF_8);
    public static final Units UNITS = Units.load(Path.of("mappings"), TERMINOLOGY);
    public static final CodeMaps CODE_MAPS = CodeMaps.load(Path.of("mappings"), TERMINOLOGY, UNITS);
    public static final Pcd01Extractor EXTRACTOR = new Pcd01Extractor(TERMINOLOGY, ZoneId.of("UTC"),
            new PatientIdentifierSystems(Map.of()), new VendorCodes(Map.of("MDIL", "philips-mdil"), () -> CODE_MAPS));
    public static final FhirBundleBuilder BUNDLES = new FhirBundleBuilder(FHIR, TERMINOLOGY);
    /** Rule-set version written into Provenance by bundles built outside the rules. */
    public static final String NO_RULES = "none";

    private TestPipeline() {
    }

    public static ObservationBatch extract(String hl7) throws Hl7Rejection {
        return EXTRACTOR.extract(CODEC.read(hl7), Instant.parse("2026-01-01T00:00:00Z"), "0");
    }

    /** The bundle of a batch without rules (no exclusions, no clinical conclusions). */
    public static org.hl7.fhir.r4.model.Bundle bundle(ObservationBatch batch) {
        return BUNDLES.build(batch, NO_RULES);
    }
}
