package io.vigil.model;

import java.time.OffsetDateTime;
import java.util.Set;

/**
 * One measured value: the contract between ingest and everything after it. Mappings produce it; rules and
 * FHIR builders read only it.
 *
 * @param flags OBX-8 style flags as sent (DEMO, TEST, INV, H, L ...)
 * @param alarmLimits device alarm limits (OBX-7), null when the device sent none
 * @param panelRole "systolic", "diastolic" or "mean" when this value belongs to a blood pressure panel
 */
public record DeviceObservation(
        Source source,
        DeviceInfo device,
        PatientRef patient,
        Location location,
        ObservationCode code,
        ObservationValue value,
        OffsetDateTime effective,
        String status,
        Set<String> flags,
        Range alarmLimits,
        String panelRole) {

    /** Test or demonstration data: flagged DEMO or TEST (OBX-8), or sent in debugging or training mode (MSH-11 D, T). */
    public boolean testData() {
        String processing = source.processingId();
        return flags.contains("DEMO") || flags.contains("TEST") || "D".equals(processing) || "T".equals(processing);
    }

    /** Identifies this observation across resends of the same source message. */
    public String sourceKey() {
        return String.join("|", source.sender(), source.messageControlId(),
                device.containment() == null ? "" : device.containment(), code.key(),
                effective == null ? "" : effective.toString());
    }
}
