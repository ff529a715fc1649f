package io.vigil.hl7;

import ca.uhn.hl7v2.AcknowledgmentCode;
import ca.uhn.hl7v2.ErrorCode;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.v26.group.ORU_R01_OBSERVATION;
import ca.uhn.hl7v2.model.v26.group.ORU_R01_ORDER_OBSERVATION;
import ca.uhn.hl7v2.model.v26.group.ORU_R01_PATIENT_RESULT;
import ca.uhn.hl7v2.model.v26.group.ORF_R04_OBSERVATION;
import ca.uhn.hl7v2.model.v26.group.ORF_R04_ORDER;
import ca.uhn.hl7v2.model.v26.group.ORF_R04_QUERY_RESPONSE;
import ca.uhn.hl7v2.model.v26.message.ORF_R04;
import ca.uhn.hl7v2.model.v26.message.ORU_R01;
import ca.uhn.hl7v2.model.v26.segment.MSH;
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
import io.vigil.normalize.CodeMaps;
import io.vigil.normalize.Terminology;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the canonical observations out of an IHE PCD-01 ORU^R01 (any version, read as v2.6 structures), read
 * straight from its text ({@link Pcd01Text}) or parsed by HAPI: both readings go through the same steps here.
 * <p>
 * Rows that describe the device rather than measure the patient are not observations: rows coded in MDC
 * partition 1 (object infrastructure: MDS, VMD, channel, attributes) or partition 8 (PHD device
 * specialisations), and rows with OBX-11 = X and no value. Sampled waveform rows (OBX-2 NA) are counted and not
 * kept: Vigil delivers vital signs, not waveforms.
 */
public final class Pcd01Extractor {

    private static final Pattern EUI64 = Pattern.compile("[0-9A-Fa-f]{16}");
    private static final Pattern NUMBER = Pattern.compile("\\d+");
    private static final Pattern TOP_LEVEL_SUB_ID = Pattern.compile("\\d+(\\.0)*");
    private static final Pattern MDC_CODE = Pattern.compile("\\d{1,9}");
    private static final String MDC = "MDC";
    public static final String PROTOCOL = "hl7v2-mllp";

    private final Terminology terminology;
    private final ZoneId deviceZone;
    private final PatientIdentifierSystems identifierSystems;
    private final VendorCodes vendorCodes;

    public Pcd01Extractor(Terminology terminology, ZoneId deviceZone, PatientIdentifierSystems identifierSystems,
                          VendorCodes vendorCodes) {
        this.terminology = terminology;
        this.deviceZone = deviceZone;
        this.identifierSystems = identifierSystems;
        this.vendorCodes = vendorCodes;
    }

    /**
     * A message HAPI parsed (any structure; only ORU^R01 and ORF^R04 carry observations).
     *
     * @param receivedAt when the frame arrived
     * @param payloadSha256 hex SHA-256 of the frame as received
     */
    public ObservationBatch extract(Message message, Instant receivedAt, String payloadSha256) throws Hl7Rejection {
        if (!(message instanceof ORU_R01) && !(message instanceof ORF_R04)) {
            throw new Hl7Rejection(AcknowledgmentCode.AR, ErrorCode.UNSUPPORTED_MESSAGE_TYPE, "VIGIL-HL7-004",
                    "MSH-9", "message type " + message.getName() + " is not accepted here (ORU^R01, or ORF^R04 from monitors that answer queries)");
        }
        try {
            Hl7Segment msh = new HapiSegment((MSH) message.get("MSH"));
            return extract(msh, message instanceof ORU_R01 oru ? groups(oru) : groups((ORF_R04) message), receivedAt,
                    payloadSha256);
        } catch (HL7Exception e) {
            throw new Hl7Rejection(AcknowledgmentCode.AE, ErrorCode.APPLICATION_INTERNAL_ERROR, "VIGIL-HL7-009",
                    null, "structure could not be read: " + e.getMessage());
        }
    }

    /** A message read by {@link Hl7Codec#read}: from its text when that reading is plain, else by HAPI. */
    public ObservationBatch extract(Hl7Codec.Inbound message, Instant receivedAt, String payloadSha256) throws Hl7Rejection {
        if (message.text() != null) {
            return extract(message.text().msh(), message.text().groups(), receivedAt, payloadSha256);
        }
        return extract(message.hapi(), receivedAt, payloadSha256);
    }

    /** The patient, visit and orders of a result message, whatever its structure (absent segments: ABSENT). */
    record PatientGroup(Hl7Segment pid, Hl7Segment pv1, List<OrderGroup> orders) {
    }

    record OrderGroup(Hl7Segment obr, List<Hl7Segment> rows) {
    }

    private static List<PatientGroup> groups(ORU_R01 oru) throws HL7Exception {
        List<PatientGroup> groups = new ArrayList<>();
        for (ORU_R01_PATIENT_RESULT result : oru.getPATIENT_RESULTAll()) {
            List<OrderGroup> orders = new ArrayList<>();
            for (ORU_R01_ORDER_OBSERVATION order : result.getORDER_OBSERVATIONAll()) {
                List<Hl7Segment> rows = new ArrayList<>();
                for (ORU_R01_OBSERVATION row : order.getOBSERVATIONAll()) {
                    rows.add(new HapiSegment(row.getOBX()));
                }
                orders.add(new OrderGroup(new HapiSegment(order.getOBR()), rows));
            }
            groups.add(new PatientGroup(new HapiSegment(result.getPATIENT().getPID()),
                    new HapiSegment(result.getPATIENT().getVISIT().getPV1()), orders));
        }
        return groups;
    }

    /** ORF^R04 (Philips Efficia answers with it): a PV1 after the PID is outside the structure and not read. */
    private static List<PatientGroup> groups(ORF_R04 orf) throws HL7Exception {
        List<PatientGroup> groups = new ArrayList<>();
        for (ORF_R04_QUERY_RESPONSE response : orf.getQUERY_RESPONSEAll()) {
            List<OrderGroup> orders = new ArrayList<>();
            for (ORF_R04_ORDER order : response.getORDERAll()) {
                List<Hl7Segment> rows = new ArrayList<>();
                for (ORF_R04_OBSERVATION row : order.getOBSERVATIONAll()) {
                    rows.add(new HapiSegment(row.getOBX()));
                }
                orders.add(new OrderGroup(new HapiSegment(order.getOBR()), rows));
            }
            groups.add(new PatientGroup(new HapiSegment(response.getPATIENT().getPID()), Hl7Segment.ABSENT, orders));
        }
        return groups;
    }

    private ObservationBatch extract(Hl7Segment msh, List<PatientGroup> groups, Instant receivedAt, String payloadSha256)
            throws Hl7Rejection {
        String controlId = Hl7Segment.stripped(msh.raw(10, 0, 1, 1));
        if (controlId == null) {
            throw new Hl7Rejection(AcknowledgmentCode.AE, ErrorCode.REQUIRED_FIELD_MISSING, "VIGIL-HL7-003",
                    "MSH-10", "message control id is missing");
        }
        String sender = msh.text(3, 1) != null ? msh.text(3, 1) : msh.text(3, 2);
        Source source = new Source(PROTOCOL, sender == null ? "unknown" : sender, controlId, msh.text(11, 1),
                receivedAt, payloadSha256);
        String gatewayEui = "EUI-64".equalsIgnoreCase(msh.text(3, 3)) ? normalisedEui(msh.text(3, 2)) : null;
        OffsetDateTime messageTime = time(msh.raw(7, 0, 1, 1), "MSH-7");
        List<DeviceObservation> observations = new ArrayList<>();
        int waveforms = 0;
        int skipped = 0;
        int obxCount = 0;
        for (PatientGroup group : groups) {
            PatientRef patient = patient(group.pid());
            Location location = location(group.pv1());
            for (OrderGroup order : group.orders()) {
                Hl7Segment obr = order.obr();
                OffsetDateTime orderTime = time(obr.raw(7, 0, 1, 1), "OBR-7");
                DeviceInfo device = orderDevice(order.rows(), obr, gatewayEui);
                for (Hl7Segment obx : order.rows()) {
                    if (obx.isEmpty()) {
                        continue;
                    }
                    obxCount++;
                    String valueType = obx.text(2);
                    if ("NA".equals(valueType) || "MA".equals(valueType)) {
                        waveforms++;
                        continue;
                    }
                    if (firstValue(obx) == null) {
                        skipped++; // a device description row, or a device that had no reading
                        continue;
                    }
                    ObservationCode code = code(obx);
                    if (code == null || isDeviceRow(obx, code)) {
                        skipped++; // a device row, or a vendor code its code map says to ignore
                        continue;
                    }
                    observations.add(observation(obx, code, valueType, source, patient, location,
                            device, orderTime != null ? orderTime : messageTime));
                }
            }
        }
        if (obxCount == 0) {
            throw new Hl7Rejection(AcknowledgmentCode.AE, ErrorCode.REQUIRED_FIELD_MISSING, "VIGIL-HL7-005",
                    "OBX", "the message carries no OBX segment");
        }
        return new ObservationBatch(source, List.copyOf(observations), waveforms, skipped);
    }

    private DeviceObservation observation(Hl7Segment obx, ObservationCode code, String valueType, Source source,
                                          PatientRef patient, Location location, DeviceInfo orderDevice,
                                          OffsetDateTime fallbackTime) throws Hl7Rejection {
        String where = "OBX set id " + obx.text(1);
        Optional<CodeEntry> entry = terminology.byMdc(code.mdcCode());
        ObservationValue value = value(obx, valueType, entry, where);
        OffsetDateTime effective = time(obx.raw(14, 0, 1, 1), "OBX-14 (" + where + ")");
        if (effective == null) {
            effective = fallbackTime;
        }
        if (effective == null) {
            throw new Hl7Rejection(AcknowledgmentCode.AE, ErrorCode.REQUIRED_FIELD_MISSING, "VIGIL-HL7-006",
                    "OBX-14 (" + where + ")", "no observation time in OBX-14, OBR-7 or MSH-7");
        }
        Set<String> flags = new LinkedHashSet<>();
        for (int rep = 0; rep < obx.repetitions(8); rep++) {
            String f = obx.text(8, rep, 1, 1);
            if (f != null) {
                flags.add(f.toUpperCase(Locale.ROOT));
            }
        }
        DeviceInfo device = rowDevice(obx).orElse(orderDevice).withContainment(obx.text(4));
        return new DeviceObservation(source, device, patient, location, code, value, effective,
                status(obx.text(11)), Set.copyOf(flags), alarmLimits(obx.text(7)),
                entry.map(CodeEntry::panelRole).orElse(null));
    }

    private ObservationValue value(Hl7Segment obx, String valueType, Optional<CodeEntry> entry, String where)
            throws Hl7Rejection {
        String raw = firstValue(obx);
        if ("NM".equals(valueType)) {
            BigDecimal number;
            try {
                number = new BigDecimal(raw.strip());
            } catch (RuntimeException e) {
                throw new Hl7Rejection(AcknowledgmentCode.AE, ErrorCode.DATA_TYPE_ERROR, "VIGIL-HL7-007",
                        "OBX-5 (" + where + ")", "numeric value expected, got '" + abbreviate(raw) + "'");
            }
            String unitCode = obx.text(6, 1);
            String unitText = obx.text(6, 2);
            String sent = unitCode != null ? unitCode : unitText;
            String ucum = terminology.ucum(unitCode)
                    .or(() -> terminology.ucum(unitText))
                    .orElse(null);
            if (ucum == null && sent == null) {
                ucum = entry.map(CodeEntry::ucum).orElse(null);
            }
            return ObservationValue.quantity(number, ucum, sent);
        }
        return ObservationValue.text(raw);
    }

    /**
     * OBX-3: the MDC code is matched on its number in either triplet; the refid as sent is kept. A vendor coding
     * system with a code map (vigil.hl7.code-maps, e.g. Philips MDIL) is translated through it; null when the
     * code map says to ignore the code.
     */
    private ObservationCode code(Hl7Segment obx) throws Hl7Rejection {
        String mdc = null;
        String refId = null;
        String loinc = null;
        String system = obx.text(3, 3);
        String alternateSystem = obx.text(3, 6);
        if (MDC.equalsIgnoreCase(system)) {
            mdc = obx.text(3, 1);
            refId = obx.text(3, 2);
        } else if (isLoinc(system)) {
            loinc = obx.text(3, 1);
        }
        if (MDC.equalsIgnoreCase(alternateSystem)) {
            mdc = obx.text(3, 4);
            refId = obx.text(3, 5);
        } else if (loinc == null && isLoinc(alternateSystem)) {
            loinc = obx.text(3, 4);
        }
        if (mdc == null && loinc == null && system != null) {
            String vendorCode = obx.text(3, 1);
            if (vendorCodes.maps(system)) {
                CodeMaps.VendorCode row = vendorCodes.lookup(system, vendorCode).orElseThrow(() -> new Hl7Rejection(
                        AcknowledgmentCode.AE, ErrorCode.REQUIRED_FIELD_MISSING, "VIGIL-HL7-008",
                        "OBX-3 (OBX set id " + obx.text(1) + ")", "code " + vendorCode + " of coding system "
                        + system + " is not in its code map (" + vendorCodes.mapName(system) + ".csv)"));
                if (row.ignore()) {
                    return null;
                }
                mdc = row.mdcCode();
                loinc = row.loinc();
                refId = null;
            }
        }
        if (mdc == null && loinc == null) {
            // Devices that omit the coding system still send MDC numbers
            String bare = obx.text(3, 1);
            if (bare != null && NUMBER.matcher(bare).matches()) {
                mdc = bare;
                refId = obx.text(3, 2);
            }
        }
        if (mdc == null && loinc == null) {
            throw new Hl7Rejection(AcknowledgmentCode.AE, ErrorCode.REQUIRED_FIELD_MISSING, "VIGIL-HL7-008",
                    "OBX-3 (OBX set id " + obx.text(1) + ")", "no MDC or LOINC code in OBX-3");
        }
        Optional<CodeEntry> entry = terminology.byMdc(mdc);
        String mappedLoinc = entry.map(CodeEntry::loinc).orElse(null);
        String display = entry.map(CodeEntry::loincDisplay).orElse(refId);
        return new ObservationCode(mdc, refId != null ? refId : entry.map(CodeEntry::mdcRefId).orElse(null),
                mappedLoinc != null ? mappedLoinc : loinc, display, loinc);
    }

    private static boolean isDeviceRow(Hl7Segment obx, ObservationCode code) {
        return isDeviceDescriptionCode(code.mdcCode()) || "X".equals(obx.text(11));
    }

    /** PID-3: the first identifier with a value, an MR one preferred; the system from its assigning authority. */
    private PatientRef patient(Hl7Segment pid) {
        int chosen = -1;
        String chosenType = null;
        for (int rep = 0; rep < pid.repetitions(3); rep++) {
            if (pid.text(3, rep, 1, 1) == null) {
                continue;
            }
            String type = pid.text(3, rep, 5, 1);
            if (chosen < 0 || ("MR".equals(type) && !"MR".equals(chosenType))) {
                chosen = rep;
                chosenType = type;
            }
        }
        if (chosen < 0) {
            return PatientRef.UNRESOLVED;
        }
        String assigner = pid.text(3, chosen, 4, 1);
        return new PatientRef(identifierSystems.systemFor(assigner != null ? assigner : pid.text(3, chosen, 4, 2)),
                pid.text(3, chosen, 1, 1));
    }

    private static Location location(Hl7Segment pv1) {
        Location location = new Location(pv1.text(3, 1), pv1.text(3, 2), pv1.text(3, 3));
        return location.isEmpty() ? null : location;
    }

    /**
     * The device of an order: the EUI-64 on its MDS row (OBX-18), else the order's EUI-64 (OBR-3, OBR-2: in PHD
     * style these name the gateway), else the sending gateway's EUI-64 (MSH-3), else the MDS row's serial.
     */
    private DeviceInfo orderDevice(List<Hl7Segment> rows, Hl7Segment obr, String gatewayEui) {
        String kind = null;
        String serial = null;
        String mdsEui = null;
        for (Hl7Segment obx : rows) {
            String code = obx.text(3, 1);
            String subId = obx.text(4);
            boolean topLevel = subId != null && TOP_LEVEL_SUB_ID.matcher(subId).matches();
            if (kind == null && topLevel && isDeviceDescriptionCode(code)) {
                kind = code;
                mdsEui = rowDevice(obx).map(DeviceInfo::id).orElse(null);
                if (obx.repetitions(18) > 0) {
                    serial = obx.text(18, 0, 1, 1);
                }
            }
        }
        String eui = mdsEui;
        if (eui == null) {
            eui = eui64Of(obr, 3, 0);
        }
        if (eui == null) {
            eui = eui64Of(obr, 2, 0);
        }
        if (eui == null) {
            eui = gatewayEui;
        }
        if (eui != null) {
            return new DeviceInfo(eui, "EUI-64", kind, serial, null);
        }
        return new DeviceInfo(serial, serial == null ? null : "serial", kind, serial, null);
    }

    /** MDC partition 1 (object infrastructure: MDS, VMD, channel, attributes) or 8 (PHD specialisations). */
    private static boolean isDeviceDescriptionCode(String mdcCode) {
        if (mdcCode == null || !MDC_CODE.matcher(mdcCode).matches()) {
            return false;
        }
        long partition = Long.parseLong(mdcCode) >> 16;
        return partition == 1 || partition == 8;
    }

    /** A device named on the row itself (OBX-18), when it is an EUI-64. */
    private static Optional<DeviceInfo> rowDevice(Hl7Segment obx) {
        for (int rep = 0; rep < obx.repetitions(18); rep++) {
            String eui = eui64Of(obx, 18, rep);
            if (eui != null) {
                return Optional.of(new DeviceInfo(eui, "EUI-64", null, null, null));
            }
        }
        return Optional.empty();
    }

    /**
     * EUI-64 from an EI sent as id^ns^universal-id^EUI-64, id^^^EUI-64, id^EUI-64, or (GE) 16 hex digits in the
     * entity id with the model as namespace (080019FFFE0B4020^B40_GE).
     */
    private static String eui64Of(Hl7Segment segment, int field, int rep) {
        String entityId = segment.text(field, rep, 1, 1);
        if ("EUI-64".equalsIgnoreCase(segment.text(field, rep, 4, 1))) {
            String universal = segment.text(field, rep, 3, 1);
            return normalisedEui(universal != null ? universal : entityId);
        }
        return normalisedEui(entityId);
    }

    private static String normalisedEui(String id) {
        return id != null && EUI64.matcher(id).matches() ? id.toUpperCase(Locale.ROOT) : null;
    }

    private static Range alarmLimits(String range) {
        if (range == null) {
            return null;
        }
        int dash = range.indexOf('-', 1);
        try {
            if (dash > 0) {
                return new Range(number(range.substring(0, dash)), number(range.substring(dash + 1)));
            }
            if (range.startsWith(">")) {
                return new Range(number(range.substring(1)), null);
            }
            if (range.startsWith("<")) {
                return new Range(null, number(range.substring(1)));
            }
        } catch (NumberFormatException e) {
            return null; // a range Vigil cannot read is not a reason to refuse the measurement
        }
        return null;
    }

    private static BigDecimal number(String s) {
        String t = s.strip();
        return t.isEmpty() ? null : new BigDecimal(t);
    }

    private static String status(String obx11) {
        if (obx11 == null) {
            return "final";
        }
        return switch (obx11) {
            case "R", "P", "S", "I" -> "preliminary";
            case "C" -> "corrected";
            case "W" -> "entered-in-error";
            default -> "final";
        };
    }

    private OffsetDateTime time(String value, String field) throws Hl7Rejection {
        try {
            return Hl7Time.parse(value, deviceZone);
        } catch (RuntimeException e) {
            throw new Hl7Rejection(AcknowledgmentCode.AE, ErrorCode.DATA_TYPE_ERROR, "VIGIL-HL7-006", field,
                    e.getMessage());
        }
    }

    /** OBX-5's first repetition, as HAPI reads it for the row's OBX-2 type. */
    private static String firstValue(Hl7Segment obx) {
        return obx.repetitions(5) == 0 ? null : obx.value(5, 0);
    }

    private static boolean isLoinc(String system) {
        return "LN".equalsIgnoreCase(system) || "LOINC".equalsIgnoreCase(system);
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
