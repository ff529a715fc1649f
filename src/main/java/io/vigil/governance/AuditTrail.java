package io.vigil.governance;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;

/**
 * FHIR AuditEvents for every disclosure to an EHR and every quarantine decision, appended as JSON lines to
 * {data-dir}/audit/audit-YYYYMMDD.jsonl (one file a day, never rewritten).
 */
public final class AuditTrail {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);
    private static final String DCM = "http://dicom.nema.org/resources/ontology/DCM";
    private static final String PURPOSE = "http://terminology.hl7.org/CodeSystem/v3-ActReason";

    private final Path folder;
    private final FhirContext fhir;

    public AuditTrail(Path folder, FhirContext fhir) {
        this.folder = folder;
        this.fhir = fhir;
    }

    /** A bundle left the building: to whom, for which patients, for what purpose. */
    public void disclosed(String destination, String purposeOfUse, List<String> patientKeys, String messageId) {
        AuditEvent event = event(new Coding(DCM, "110106", "Export"), AuditEvent.AuditEventAction.C,
                AuditEvent.AuditEventOutcome._0, null);
        event.addPurposeOfEvent().addCoding(new Coding(PURPOSE, purposeOfUse, null));
        event.addAgent().setRequestor(false).setWho(new Reference().setDisplay(destination))
                .setType(new org.hl7.fhir.r4.model.CodeableConcept().addCoding(new Coding(DCM, "110152", "Destination Role ID")));
        patients(event, patientKeys);
        message(event, messageId);
        append(event);
    }

    /** A message was quarantined by a governance rule. */
    public void quarantined(String reason, List<String> patientKeys, String messageId) {
        AuditEvent event = event(new Coding(DCM, "110107", "Import"), AuditEvent.AuditEventAction.C,
                AuditEvent.AuditEventOutcome._4, reason);
        patients(event, patientKeys);
        message(event, messageId);
        append(event);
    }

    /** An operator edited a waiting message and sent it on: who, where, and the hashes before and after. */
    public void edited(String user, String queue, String target, String messageId, String sha256Before, String sha256After) {
        AuditEvent event = event(new Coding("http://terminology.hl7.org/CodeSystem/iso-21089-lifecycle", "amend", "Amend (Update)"),
                AuditEvent.AuditEventAction.U, AuditEvent.AuditEventOutcome._0,
                "edited on " + queue + " and sent to " + target + "; sha256 " + sha256Before + " -> " + sha256After);
        event.addAgent().setRequestor(true).setWho(new Reference().setDisplay(user));
        message(event, messageId);
        append(event);
    }

    /** Stored messages were destroyed by the retention policy: where, how many, older than when. */
    public void purged(String queue, long count, java.time.Instant cutOff) {
        AuditEvent event = event(new Coding("http://terminology.hl7.org/CodeSystem/iso-21089-lifecycle", "destroy", "Destroy/Delete"),
                AuditEvent.AuditEventAction.D, AuditEvent.AuditEventOutcome._0,
                "retention: " + count + " message(s) stored before " + cutOff + " purged from " + queue);
        append(event);
    }

    /** The newest events, newest first. */
    public List<String> latest(int limit) {
        List<String> lines = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            return lines;
        }
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.sorted(Collections.reverseOrder()).toList()) {
                List<String> day = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
                Collections.reverse(day);
                for (String line : day) {
                    if (lines.size() >= limit) {
                        return lines;
                    }
                    lines.add(line);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return lines;
    }

    private AuditEvent event(Coding type, AuditEvent.AuditEventAction action, AuditEvent.AuditEventOutcome outcome,
                             String outcomeText) {
        AuditEvent event = new AuditEvent();
        event.setType(type);
        event.setAction(action);
        event.setRecorded(Date.from(Instant.now()));
        event.setOutcome(outcome);
        if (outcomeText != null) {
            event.setOutcomeDesc(outcomeText);
        }
        event.addAgent().setRequestor(true).setWho(new Reference().setDisplay("Vigil"));
        event.getSource().setObserver(new Reference().setDisplay("Vigil"));
        return event;
    }

    private static void patients(AuditEvent event, List<String> patientKeys) {
        for (String key : patientKeys) {
            int bar = key.indexOf('|');
            event.addEntity().setWhat(new Reference().setType("Patient").setIdentifier(
                    new Identifier().setSystem(key.substring(0, bar)).setValue(key.substring(bar + 1))))
                    .setType(new Coding("http://terminology.hl7.org/CodeSystem/audit-entity-type", "1", "Person"));
        }
    }

    private static void message(AuditEvent event, String messageId) {
        event.addEntity().setWhat(new Reference().setIdentifier(new Identifier().setSystem("urn:vigil:message").setValue(messageId)))
                .setType(new Coding("http://terminology.hl7.org/CodeSystem/audit-entity-type", "2", "System Object"));
    }

    private synchronized void append(AuditEvent event) {
        try {
            Files.createDirectories(folder);
            String line = fhir.newJsonParser().setPrettyPrint(false).encodeResourceToString(event) + "\n";
            Files.writeString(folder.resolve("audit-" + DAY.format(Instant.now()) + ".jsonl"), line,
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the audit trail in " + folder, e);
        }
    }
}
