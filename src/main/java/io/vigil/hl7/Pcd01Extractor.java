package io.vigil.hl7;

import ca.uhn.hl7v2.AcknowledgmentCode;
import ca.uhn.hl7v2.ErrorCode;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Composite;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.Primitive;
import ca.uhn.hl7v2.model.Type;
import ca.uhn.hl7v2.model.Varies;
import ca.uhn.hl7v2.model.v26.datatype.CWE;
import ca.uhn.hl7v2.model.v26.datatype.CX;
import ca.uhn.hl7v2.model.v26.datatype.EI;
import ca.uhn.hl7v2.model.v26.datatype.HD;
import ca.uhn.hl7v2.model.v26.datatype.IS;
import ca.uhn.hl7v2.model.v26.datatype.PL;
import ca.uhn.hl7v2.model.v26.group.ORU_R01_OBSERVATION;
import ca.uhn.hl7v2.model.v26.group.ORU_R01_ORDER_OBSERVATION;
import ca.uhn.hl7v2.model.v26.group.ORU_R01_PATIENT_RESULT;
import ca.uhn.hl7v2.model.v26.group.ORF_R04_OBSERVATION;
import ca.uhn.hl7v2.model.v26.group.ORF_R04_ORDER;
import ca.uhn.hl7v2.model.v26.group.ORF_R04_QUERY_RESPONSE;
import ca.uhn.hl7v2.model.v26.message.ORF_R04;
import ca.uhn.hl7v2.model.v26.message.ORU_R01;
import ca.uhn.hl7v2.model.v26.segment.MSH;
import ca.uhn.hl7v2.model.v26.segment.OBR;
import ca.uhn.hl7v2.model.v26.segment.OBX;
import ca.uhn.hl7v2.model.v26.segment.PID;
import ca.uhn.hl7v2.model.v26.segment.PV1;
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
 * Reads the canonical observations out of a parsed IHE PCD-01 ORU^R01 (any version, parsed into v2.6 structures).
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
     * @param receivedAt when the frame arrived
     * @param payloadSha256 hex SHA-256 of the frame as received
     */
    public ObservationBatch extract(Message message, Instant receivedAt, String payloadSha256) throws Hl7Rejection {
        if (!(message instanceof ORU_R01) && !(message instanceof ORF_R04)) {
            throw new Hl7Rejection(AcknowledgmentCode.AR, ErrorCode.UNSUPPORTED_MESSAGE_TYPE, "VIGIL-HL7-004",
                    "MSH-9", "message type " + message.getName() + " is not accepted here (ORU^R01, or ORF^R04 from monitors that answer queries)");
        }
        try {
            MSH msh = (MSH) message.get("MSH");
            String controlId = value(msh.getMessageControlID());
            if (controlId == null) {
                throw new Hl7Rejection(AcknowledgmentCode.AE, ErrorCode.REQUIRED_FIELD_MISSING, "VIGIL-HL7-003",
                        "MSH-10", "message control id is missing");
            }
            HD sendingApp = msh.getSendingApplication();
            String sender = value(sendingApp.getNamespaceID()) != null ? value(sendingApp.getNamespaceID())
                    : value(sendingApp.getUniversalID());
            Source source = new Source(PROTOCOL, sender == null ? "unknown" : sender, controlId,
                    value(msh.getProcessingID().getProcessingID()), receivedAt, payloadSha256);
            List<PatientGroup> groups = message instanceof ORU_R01 oru ? groups(oru) : groups((ORF_R04) message);
            return extract(msh, groups, source);
        } catch (HL7Exception e) {
            throw new Hl7Rejection(AcknowledgmentCode.AE, ErrorCode.APPLICATION_INTERNAL_ERROR, "VIGIL-HL7-009",
                    null, "structure could not be read: " + e.getMessage());
        }
    }

    /** The patient, visit and orders of a result message, whatever its structure. */
    private record PatientGroup(PID pid, PV1 pv1, List<OrderGroup> orders) {
    }

    private record OrderGroup(OBR obr, List<OBX> rows) {
    }

    private static List<PatientGroup> groups(ORU_R01 oru) throws HL7Exception {
        List<PatientGroup> groups = new ArrayList<>();
        for (ORU_R01_PATIENT_RESULT result : oru.getPATIENT_RESULTAll()) {
            List<OrderGroup> orders = new ArrayList<>();
            for (ORU_R01_ORDER_OBSERVATION order : result.getORDER_OBSERVATIONAll()) {
                List<OBX> rows = new ArrayList<>();
                for (ORU_R01_OBSERVATION row : order.getOBSERVATIONAll()) {
                    rows.add(row.getOBX());
                }
                orders.add(new OrderGroup(order.getOBR(), rows));
            }
            groups.add(new PatientGroup(result.getPATIENT().getPID(), result.getPATIENT().getVISIT().getPV1(), orders));
        }
        return groups;
    }

    /** ORF^R04 (Philips Efficia answers with it): a PV1 after the PID is outside the structure and not read. */
    private static List<PatientGroup> groups(ORF_R04 orf) throws HL7Exception {
        List<PatientGroup> groups = new ArrayList<>();
        for (ORF_R04_QUERY_RESPONSE response : orf.getQUERY_RESPONSEAll()) {
            List<OrderGroup> orders = new ArrayList<>();
            for (ORF_R04_ORDER order : response.getORDERAll()) {
                List<OBX> rows = new ArrayList<>();
                for (ORF_R04_OBSERVATION row : order.getOBSERVATIONAll()) {
                    rows.add(row.getOBX());
                }
                orders.add(new OrderGroup(order.getOBR(), rows));
            }
            groups.add(new PatientGroup(response.getPATIENT().getPID(), null, orders));
        }
        return groups;
    }

    private ObservationBatch extract(MSH msh, List<PatientGroup> groups, Source source) throws HL7Exception, Hl7Rejection {
        String gatewayEui = eui64Of(msh.getSendingApplication());
        OffsetDateTime messageTime = time(msh.getDateTimeOfMessage().getValue(), "MSH-7");
        List<DeviceObservation> observations = new ArrayList<>();
        int waveforms = 0;
        int skipped = 0;
        int obxCount = 0;
        for (PatientGroup group : groups) {
            PatientRef patient = patient(group.pid());
            Location location = group.pv1() == null ? null : location(group.pv1());
            for (OrderGroup order : group.orders()) {
                OBR obr = order.obr();
                OffsetDateTime orderTime = time(obr.getObservationDateTime().getValue(), "OBR-7");
                DeviceInfo device = orderDevice(order.rows(), obr, gatewayEui);
                for (OBX obx : order.rows()) {
                    if (obx.isEmpty()) {
                        continue;
                    }
                    obxCount++;
                    String valueType = value(obx.getValueType());
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

    private DeviceObservation observation(OBX obx, ObservationCode code, String valueType, Source source,
                                          PatientRef patient, Location location, DeviceInfo orderDevice,
                                          OffsetDateTime fallbackTime) throws Hl7Rejection, HL7Exception {
        String where = "OBX set id " + value(obx.getSetIDOBX());
        Optional<CodeEntry> entry = terminology.byMdc(code.mdcCode());
        ObservationValue value = value(obx, valueType, entry, where);
        OffsetDateTime effective = time(obx.getDateTimeOfTheObservation().getValue(), "OBX-14 (" + where + ")");
        if (effective == null) {
            effective = fallbackTime;
        }
        if (effective == null) {
            throw new Hl7Rejection(AcknowledgmentCode.AE, ErrorCode.REQUIRED_FIELD_MISSING, "VIGIL-HL7-006",
                    "OBX-14 (" + where + ")", "no observation time in OBX-14, OBR-7 or MSH-7");
        }
        Set<String> flags = new LinkedHashSet<>();
        for (IS flag : obx.getAbnormalFlags()) {
            String f = value(flag);
            if (f != null) {
                flags.add(f.toUpperCase(Locale.ROOT));
            }
        }
        DeviceInfo device = rowDevice(obx).orElse(orderDevice).withContainment(value(obx.getObservationSubID()));
        return new DeviceObservation(source, device, patient, location, code, value, effective,
                status(value(obx.getObservationResultStatus())), Set.copyOf(flags),
                alarmLimits(value(obx.getReferencesRange())), entry.map(CodeEntry::panelRole).orElse(null));
    }

    private ObservationValue value(OBX obx, String valueType, Optional<CodeEntry> entry, String where)
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
            CWE units = obx.getUnits();
            String unitCode = value(units.getIdentifier());
            String unitText = value(units.getText());
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
    private ObservationCode code(OBX obx) throws Hl7Rejection {
        CWE id = obx.getObservationIdentifier();
        String mdc = null;
        String refId = null;
        String loinc = null;
        if (MDC.equalsIgnoreCase(value(id.getNameOfCodingSystem()))) {
            mdc = value(id.getIdentifier());
            refId = value(id.getText());
        } else if (isLoinc(value(id.getNameOfCodingSystem()))) {
            loinc = value(id.getIdentifier());
        }
        if (MDC.equalsIgnoreCase(value(id.getNameOfAlternateCodingSystem()))) {
            mdc = value(id.getAlternateIdentifier());
            refId = value(id.getAlternateText());
        } else if (loinc == null && isLoinc(value(id.getNameOfAlternateCodingSystem()))) {
            loinc = value(id.getAlternateIdentifier());
        }
        if (mdc == null && loinc == null && value(id.getNameOfCodingSystem()) != null) {
            String system = value(id.getNameOfCodingSystem());
            String vendorCode = value(id.getIdentifier());
            if (vendorCodes.maps(system)) {
                CodeMaps.VendorCode row = vendorCodes.lookup(system, vendorCode).orElseThrow(() -> new Hl7Rejection(
                        AcknowledgmentCode.AE, ErrorCode.REQUIRED_FIELD_MISSING, "VIGIL-HL7-008",
                        "OBX-3 (OBX set id " + value(obx.getSetIDOBX()) + ")", "code " + vendorCode + " of coding system "
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
            String bare = value(id.getIdentifier());
            if (bare != null && NUMBER.matcher(bare).matches()) {
                mdc = bare;
                refId = value(id.getText());
            }
        }
        if (mdc == null && loinc == null) {
            throw new Hl7Rejection(AcknowledgmentCode.AE, ErrorCode.REQUIRED_FIELD_MISSING, "VIGIL-HL7-008",
                    "OBX-3 (OBX set id " + value(obx.getSetIDOBX()) + ")", "no MDC or LOINC code in OBX-3");
        }
        Optional<CodeEntry> entry = terminology.byMdc(mdc);
        String mappedLoinc = entry.map(CodeEntry::loinc).orElse(null);
        String display = entry.map(CodeEntry::loincDisplay).orElse(refId);
        return new ObservationCode(mdc, refId != null ? refId : entry.map(CodeEntry::mdcRefId).orElse(null),
                mappedLoinc != null ? mappedLoinc : loinc, display, loinc);
    }

    private static boolean isDeviceRow(OBX obx, ObservationCode code) {
        return isDeviceDescriptionCode(code.mdcCode()) || "X".equals(value(obx.getObservationResultStatus()));
    }

    private PatientRef patient(PID pid) {
        CX chosen = null;
        for (CX cx : pid.getPatientIdentifierList()) {
            if (value(cx.getIDNumber()) == null) {
                continue;
            }
            String type = value(cx.getIdentifierTypeCode());
            if (chosen == null || ("MR".equals(type) && !"MR".equals(value(chosen.getIdentifierTypeCode())))) {
                chosen = cx;
            }
        }
        if (chosen == null) {
            return PatientRef.UNRESOLVED;
        }
        HD authority = chosen.getAssigningAuthority();
        String assigner = value(authority.getNamespaceID());
        return new PatientRef(identifierSystems.systemFor(assigner != null ? assigner : value(authority.getUniversalID())),
                value(chosen.getIDNumber()));
    }

    private static Location location(PV1 pv1) {
        PL pl = pv1.getAssignedPatientLocation();
        Location location = new Location(value(pl.getPointOfCare()), value(pl.getRoom()), value(pl.getBed()));
        return location.isEmpty() ? null : location;
    }

    /**
     * The device of an order: the EUI-64 on its MDS row (OBX-18), else the order's EUI-64 (OBR-3, OBR-2: in PHD
     * style these name the gateway), else the sending gateway's EUI-64 (MSH-3), else the MDS row's serial.
     */
    private DeviceInfo orderDevice(List<OBX> rows, OBR obr, String gatewayEui) throws HL7Exception {
        String kind = null;
        String serial = null;
        String mdsEui = null;
        for (OBX obx : rows) {
            String code = value(obx.getObservationIdentifier().getIdentifier());
            String subId = value(obx.getObservationSubID());
            boolean topLevel = subId != null && TOP_LEVEL_SUB_ID.matcher(subId).matches();
            if (kind == null && topLevel && isDeviceDescriptionCode(code)) {
                kind = code;
                mdsEui = rowDevice(obx).map(DeviceInfo::id).orElse(null);
                if (obx.getEquipmentInstanceIdentifierReps() > 0) {
                    serial = value(obx.getEquipmentInstanceIdentifier(0).getEntityIdentifier());
                }
            }
        }
        String eui = mdsEui;
        if (eui == null) {
            eui = eui64Of(obr.getFillerOrderNumber());
        }
        if (eui == null) {
            eui = eui64Of(obr.getPlacerOrderNumber());
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
    private static Optional<DeviceInfo> rowDevice(OBX obx) {
        for (EI ei : obx.getEquipmentInstanceIdentifier()) {
            String eui = eui64Of(ei);
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
    private static String eui64Of(EI ei) {
        if ("EUI-64".equalsIgnoreCase(value(ei.getUniversalIDType()))) {
            String universal = value(ei.getUniversalID());
            return normalisedEui(universal != null ? universal : value(ei.getEntityIdentifier()));
        }
        return normalisedEui(value(ei.getEntityIdentifier()));
    }

    private static String eui64Of(HD hd) {
        return "EUI-64".equalsIgnoreCase(value(hd.getUniversalIDType())) ? normalisedEui(value(hd.getUniversalID())) : null;
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

    private static String firstValue(OBX obx) {
        if (obx.getObservationValueReps() == 0) {
            return null;
        }
        Varies varies = obx.getObservationValue(0);
        return value(varies.getData());
    }

    private static boolean isLoinc(String system) {
        return "LN".equalsIgnoreCase(system) || "LOINC".equalsIgnoreCase(system);
    }

    /** The text of a field: a primitive's value, or a composite's first non-empty component, trimmed. */
    static String value(Type type) {
        if (type == null) {
            return null;
        }
        if (type instanceof Varies varies) {
            return value(varies.getData());
        }
        if (type instanceof Primitive primitive) {
            String v = primitive.getValue();
            return v == null || v.isBlank() ? null : v.strip();
        }
        if (type instanceof Composite composite) {
            for (Type component : composite.getComponents()) {
                String v = value(component);
                if (v != null) {
                    return v;
                }
            }
        }
        return null;
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
