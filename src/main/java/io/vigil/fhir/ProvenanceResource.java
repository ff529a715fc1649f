package io.vigil.fhir;

import io.vigil.model.ObservationBatch;
import io.vigil.model.Source;
import java.util.Date;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;

/**
 * Provenance of everything in a bundle: the measuring device, the sending gateway, Vigil itself, the source
 * message (control id and payload hash) and the versions of the mappings and rules that shaped it. Sent as a
 * PUT with an id derived from the source message, so a resent message does not add a second one.
 */
final class ProvenanceResource {

    static final String MESSAGE_ID = "urn:vigil:message";
    static final String PAYLOAD_HASH = "urn:vigil:payload-sha256";
    private static final String PARTICIPANT = "http://terminology.hl7.org/CodeSystem/provenance-participant-type";

    /** The agents' roles and Vigil as the assembler, the same in every Provenance: made once, JSON included. */
    private static final CodeableConcept PERFORMER = FhirJson.fixed(type("performer", "Performer"));
    private static final CodeableConcept INFORMANT = FhirJson.fixed(type("informant", "Informant"));
    private static final CodeableConcept ASSEMBLER = FhirJson.fixed(type("assembler", "Assembler"));
    private static final Reference VIGIL = FhirJson.fixed(new Reference().setDisplay("Vigil"));

    private ProvenanceResource() {
    }

    static void add(Bundle bundle, ObservationBatch batch, String deviceUrl, String mappingVersion, String ruleSetVersion) {
        Provenance provenance = new Provenance();
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            provenance.addTarget(new Reference(entry.getFullUrl()));
        }
        Source source = batch.source();
        provenance.setRecorded(Date.from(source.receivedAt()));
        if (deviceUrl != null) {
            provenance.addAgent().setType(PERFORMER).setWho(new Reference(deviceUrl));
        }
        provenance.addAgent().setType(INFORMANT)
                .setWho(new Reference().setDisplay(source.protocol() + " sender " + source.sender()));
        provenance.addAgent().setType(ASSEMBLER).setWho(VIGIL);
        provenance.addEntity().setRole(Provenance.ProvenanceEntityRole.SOURCE).setWhat(new Reference()
                .setIdentifier(new Identifier().setSystem(MESSAGE_ID).setValue(source.messageId())).setDisplay("source message"));
        provenance.addEntity().setRole(Provenance.ProvenanceEntityRole.SOURCE).setWhat(new Reference()
                .setIdentifier(new Identifier().setSystem(PAYLOAD_HASH).setValue(source.payloadSha256()))
                .setDisplay("SHA-256 of the payload as received"));
        for (String policy : List.of("urn:vigil:mappings:" + mappingVersion, "urn:vigil:rules:" + ruleSetVersion)) {
            provenance.addPolicy(policy);
        }
        String id = "vigil-" + BundleEntries.stableId(source.protocol() + "|" + source.sender() + "|" + source.messageControlId());
        provenance.setId(id);
        bundle.addEntry().setFullUrl(BundleEntries.fullUrl("Provenance", "id", id)).setResource(provenance)
                .getRequest().setMethod(Bundle.HTTPVerb.PUT).setUrl("Provenance/" + id);
    }

    /**
     * Provenance of a de-identified bundle: Vigil assembled it under these versions for this purpose of use; no
     * source message, device or sender, and as its time the start of the observations' year.
     */
    static void addDeidentified(Bundle bundle, ObservationBatch batch, String mappingVersion, String ruleSetVersion,
                                String purposeOfUse) {
        Provenance provenance = new Provenance();
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            provenance.addTarget(new Reference(entry.getFullUrl()));
        }
        int year = batch.observations().isEmpty() ? 1970 : batch.observations().get(0).effective().getYear();
        provenance.setRecorded(Date.from(java.time.LocalDate.of(year, 1, 1).atStartOfDay(java.time.ZoneOffset.UTC).toInstant()));
        provenance.addAgent().setType(ASSEMBLER).setWho(VIGIL);
        provenance.addReason(new CodeableConcept().addCoding(new Coding("http://terminology.hl7.org/CodeSystem/v3-ActReason",
                purposeOfUse, null)));
        for (String policy : List.of("urn:vigil:mappings:" + mappingVersion, "urn:vigil:rules:" + ruleSetVersion,
                "urn:vigil:deidentification:safe-harbor")) {
            provenance.addPolicy(policy);
        }
        String id = "vigil-" + BundleEntries.stableId("deidentified|" + batch.source().messageControlId());
        provenance.setId(id);
        bundle.addEntry().setFullUrl(BundleEntries.fullUrl("Provenance", "id", id)).setResource(provenance)
                .getRequest().setMethod(Bundle.HTTPVerb.PUT).setUrl("Provenance/" + id);
    }

    private static CodeableConcept type(String code, String display) {
        return new CodeableConcept().addCoding(new Coding(PARTICIPANT, code, display));
    }
}
