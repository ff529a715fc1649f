package io.vigil.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.model.CanonicalJson;
import io.vigil.model.DeviceInfo;
import io.vigil.model.DeviceObservation;
import io.vigil.model.Location;
import io.vigil.model.ObservationBatch;
import io.vigil.model.ObservationCode;
import io.vigil.model.ObservationValue;
import io.vigil.model.PatientRef;
import io.vigil.model.Range;
import io.vigil.model.Source;
import io.vigil.normalize.CodeEntry;
import io.vigil.normalize.Terminology;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Reads Vigil's device JSON (docs/device-json.md) into canonical observations. Every refusal names the JSON
 * path and the rule it broke.
 */
public final class DeviceJsonReader {

    public static final String PROTOCOL = "mqtt";

    private final Terminology terminology;

    public DeviceJsonReader(Terminology terminology) {
        this.terminology = terminology;
    }

    /** @param topicDeviceId the {deviceId} of the topic; the payload's device.id, when present, must match it */
    public ObservationBatch read(byte[] payload, String topicDeviceId, Instant receivedAt) throws InvalidPayloadException {
        JsonNode root;
        try {
            root = CanonicalJson.MAPPER.readTree(payload);
        } catch (JsonProcessingException e) {
            throw new InvalidPayloadException("$", "not valid JSON at line " + e.getLocation().getLineNr()
                    + " column " + e.getLocation().getColumnNr());
        } catch (IOException e) {
            throw new InvalidPayloadException("$", "unreadable payload: " + e.getClass().getSimpleName());
        }
        if (root == null || !root.isObject()) {
            throw new InvalidPayloadException("$", "a JSON object is expected");
        }
        String sha256 = Hashes.sha256(payload);
        DeviceInfo device = device(root.path("device"), topicDeviceId);
        String messageId = text(root, "messageId");
        Source source = new Source(PROTOCOL, device.id(), messageId != null ? messageId : sha256, "P", receivedAt, sha256);
        PatientRef patient = patient(root.path("patient"));
        Location location = location(root.path("location"));
        JsonNode values = root.path("observations");
        if (!values.isArray() || values.isEmpty()) {
            throw new InvalidPayloadException("$.observations", "a non-empty array is required");
        }
        List<DeviceObservation> observations = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            observations.add(observation(values.get(i), "$.observations[" + i + "]", source, device, patient, location));
        }
        return new ObservationBatch(source, List.copyOf(observations), 0, 0);
    }

    private DeviceObservation observation(JsonNode node, String path, Source source, DeviceInfo device,
                                          PatientRef patient, Location location) throws InvalidPayloadException {
        JsonNode codeNode = node.path("code");
        String mdc = text(codeNode, "mdc");
        String loinc = text(codeNode, "loinc");
        if (mdc == null && loinc == null) {
            throw new InvalidPayloadException(path + ".code", "an mdc or loinc code is required");
        }
        Optional<CodeEntry> entry = mdc != null ? terminology.byMdc(mdc) : terminology.byLoinc(loinc);
        String mappedLoinc = mdc != null ? entry.map(CodeEntry::loinc).orElse(loinc) : loinc;
        ObservationCode code = new ObservationCode(mdc, mdc != null ? entry.map(CodeEntry::mdcRefId).orElse(null) : null,
                mappedLoinc, entry.map(CodeEntry::loincDisplay).orElse(null), loinc);
        JsonNode value = node.path("value");
        ObservationValue observationValue;
        if (value.isNumber()) {
            String unit = text(node, "unit");
            observationValue = ObservationValue.quantity(value.decimalValue(),
                    unit == null ? null : terminology.ucum(unit).orElse(null), unit);
        } else if (value.isTextual()) {
            observationValue = ObservationValue.text(value.asText());
        } else {
            throw new InvalidPayloadException(path + ".value", "a number or a string is required");
        }
        String time = text(node, "time");
        if (time == null) {
            throw new InvalidPayloadException(path + ".time", "the measurement time is required");
        }
        OffsetDateTime effective;
        try {
            effective = OffsetDateTime.parse(time);
        } catch (DateTimeParseException e) {
            throw new InvalidPayloadException(path + ".time", "ISO 8601 date-time with offset expected, got '" + time + "'");
        }
        Set<String> flags = new LinkedHashSet<>();
        node.path("flags").forEach(f -> flags.add(f.asText().toUpperCase(Locale.ROOT)));
        String status = Optional.ofNullable(text(node, "status")).orElse("final");
        if (!Set.of("final", "preliminary", "corrected", "amended", "entered-in-error").contains(status)) {
            throw new InvalidPayloadException(path + ".status", "unknown status '" + status + "'");
        }
        Range limits = null;
        JsonNode alarm = node.path("alarmLimits");
        if (alarm.isObject()) {
            limits = new Range(decimal(alarm.path("low")), decimal(alarm.path("high")));
        }
        String containment = Optional.ofNullable(text(node, "containment")).orElse(String.valueOf(path.hashCode()));
        return new DeviceObservation(source, device.withContainment(containment), patient, location, code,
                observationValue, effective, status, Set.copyOf(flags), limits,
                entry.map(CodeEntry::panelRole).orElse(null));
    }

    private static DeviceInfo device(JsonNode node, String topicDeviceId) throws InvalidPayloadException {
        String id = text(node, "id");
        if (id != null && topicDeviceId != null && !id.equals(topicDeviceId)) {
            throw new InvalidPayloadException("$.device.id", "'" + id + "' differs from the topic's device id");
        }
        String deviceId = id != null ? id : topicDeviceId;
        if (deviceId == null) {
            throw new InvalidPayloadException("$.device.id", "no device id in the topic or the payload");
        }
        String idType = text(node, "idType");
        if (idType == null) {
            idType = deviceId.matches("[0-9A-Fa-f]{16}") ? "EUI-64" : "serial";
        }
        String normalised = "EUI-64".equals(idType) ? deviceId.toUpperCase(Locale.ROOT) : deviceId;
        return new DeviceInfo(normalised, idType, text(node, "kind"), text(node, "model"), null);
    }

    private static PatientRef patient(JsonNode node) throws InvalidPayloadException {
        if (node.isMissingNode() || node.isNull()) {
            return PatientRef.UNRESOLVED;
        }
        String system = text(node, "system");
        String value = text(node, "value");
        if (value != null && system == null) {
            throw new InvalidPayloadException("$.patient.system", "an identifier system URI is required with a value");
        }
        return value == null ? PatientRef.UNRESOLVED : new PatientRef(system, value);
    }

    private static Location location(JsonNode node) {
        if (!node.isObject()) {
            return null;
        }
        Location location = new Location(text(node, "unit"), text(node, "room"), text(node, "bed"));
        return location.isEmpty() ? null : location;
    }

    private static BigDecimal decimal(JsonNode node) {
        return node.isNumber() ? node.decimalValue() : null;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isValueNode() && !v.asText().isBlank() ? v.asText().strip() : null;
    }
}
