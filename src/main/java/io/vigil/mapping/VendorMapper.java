package io.vigil.mapping;

import com.dashjoin.jsonata.Jsonata;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.ingest.Hashes;
import io.vigil.ingest.InvalidPayloadException;
import io.vigil.mapping.MappingDefinition.TimeSpec;
import io.vigil.mapping.MappingDefinition.ValueSpec;
import io.vigil.model.DeviceInfo;
import io.vigil.model.DeviceObservation;
import io.vigil.model.ObservationBatch;
import io.vigil.model.ObservationCode;
import io.vigil.model.ObservationValue;
import io.vigil.model.PatientRef;
import io.vigil.model.Source;
import io.vigil.normalize.CodeEntry;
import io.vigil.normalize.CodeMaps;
import io.vigil.normalize.CodeMaps.VendorCode;
import io.vigil.normalize.Terminology;
import io.vigil.normalize.Units;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Applies a {@link MappingDefinition} to a vendor payload: records, values, codes through the code maps, units
 * to the code's UCUM unit (converting when they differ), times as the vendor sends them. A record that cannot
 * be read is refused as a whole (with the expression, file and line at fault) so that a blood pressure pair
 * is never charted half; the other records of the payload go on.
 */
public final class VendorMapper {

    /** Flags added to the canonical observation (docs/mappings.md). */
    public static final String FLAG_FUTURE = "TIME-FUTURE";
    public static final String FLAG_END_BEFORE_START = "TIME-END-BEFORE-START";
    public static final String FLAG_MANUAL = "MANUAL";
    public static final String FLAG_TEST = "TEST";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MathContext SIGNIFICANT = new MathContext(12);

    private final Terminology terminology;
    private final Units units;
    private final CodeMaps codeMaps;
    private final String defaultPatientSystem;
    private final Duration futureTolerance;

    public VendorMapper(Terminology terminology, Units units, CodeMaps codeMaps, String defaultPatientSystem,
                        Duration futureTolerance) {
        this.terminology = terminology;
        this.units = units;
        this.codeMaps = codeMaps;
        this.defaultPatientSystem = defaultPatientSystem;
        this.futureTolerance = futureTolerance;
    }

    /** Parses a payload as the mapping's format expects: JSON into maps and lists, CSV into one map per row. */
    public static Object parse(byte[] payload, MappingDefinition.PayloadFormat format, char delimiter)
            throws InvalidPayloadException {
        if (format == MappingDefinition.PayloadFormat.CSV) {
            return CsvRecords.read(payload, delimiter);
        }
        try {
            Object root = JSON.readValue(payload, Object.class);
            if (root == null) {
                throw new InvalidPayloadException("$", "empty JSON payload");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw new InvalidPayloadException("$", "not valid JSON at line " + e.getLocation().getLineNr()
                    + " column " + e.getLocation().getColumnNr());
        } catch (java.io.IOException e) {
            throw new InvalidPayloadException("$", "unreadable payload: " + e.getClass().getSimpleName());
        }
    }

    /** Whether the mapping's match expression accepts a parsed payload. */
    public static boolean matches(MappingDefinition mapping, Object root, IngestContext context) {
        try {
            return truthy(mapping.match().evaluate(root, bindings(mapping.match(), root, context)));
        } catch (Expression.MappingFailure e) {
            return false;
        }
    }

    public MappingResult map(MappingDefinition mapping, Object root, byte[] payload, IngestContext context) {
        return map(mapping, root, Hashes.sha256(payload), context);
    }

    /** @param sha256 hex SHA-256 of the payload as received, when the caller has it already */
    public MappingResult map(MappingDefinition mapping, Object root, String sha256, IngestContext context) {
        List<MappingResult.Problem> rejected = new ArrayList<>();
        List<Object> records;
        try {
            records = records(mapping, root, context);
        } catch (Expression.MappingFailure e) {
            records = List.of();
            rejected.add(new MappingResult.Problem(0, "records", e.getMessage()));
        }
        List<MappingResult.Problem> ignored = new ArrayList<>();
        List<DeviceObservation> observations = new ArrayList<>();
        Source source = null;
        for (int i = 0; i < records.size(); i++) {
            Object record = records.get(i);
            Jsonata.Frame frame = bindings(mapping.match(), root, context);
            try {
                if (source == null) {
                    String messageId = text(mapping.messageId(), record, frame);
                    source = new Source(context.protocol(), context.source(), messageId != null ? messageId : sha256,
                            "P", context.receivedAt(), sha256);
                }
                observations.addAll(record(mapping, i, record, frame, source, context, ignored));
            } catch (Expression.MappingFailure | IllegalArgumentException e) {
                rejected.add(new MappingResult.Problem(i, null, e.getMessage()));
            }
        }
        if (source == null) {
            source = new Source(context.protocol(), context.source(), sha256, "P", context.receivedAt(), sha256);
        }
        return new MappingResult(mapping, new ObservationBatch(source, List.copyOf(observations), 0, ignored.size()),
                Math.max(records.size(), rejected.isEmpty() ? 0 : 1), List.copyOf(rejected), List.copyOf(ignored));
    }

    private static List<Object> records(MappingDefinition mapping, Object root, IngestContext context) {
        if (mapping.records() == null) {
            return root instanceof List<?> list ? new ArrayList<>(list) : List.of(root);
        }
        Object result = mapping.records().evaluate(root, bindings(mapping.records(), root, context));
        return list(result);
    }

    private List<DeviceObservation> record(MappingDefinition mapping, int index, Object record, Jsonata.Frame frame,
                                           Source batchSource, IngestContext context,
                                           List<MappingResult.Problem> ignored) {
        String recordId = text(mapping.recordId(), record, frame);
        Source source = recordId == null ? batchSource
                : new Source(batchSource.protocol(), batchSource.sender(), recordId, batchSource.processingId(),
                batchSource.receivedAt(), batchSource.payloadSha256());
        DeviceInfo device = device(mapping, record, frame, context);
        PatientRef patient = patient(mapping, record, frame, context);
        Set<String> recordFlags = new LinkedHashSet<>();
        if (mapping.manual() != null && truthy(mapping.manual().evaluate(record, frame))) {
            recordFlags.add(FLAG_MANUAL);
        }
        if (mapping.testData() != null && truthy(mapping.testData().evaluate(record, frame))) {
            recordFlags.add(FLAG_TEST);
        }
        String recordKey = recordId != null ? recordId : "r" + index;
        List<DeviceObservation> out = new ArrayList<>();
        for (ValueSpec spec : mapping.values()) {
            List<Object> items = spec.each() == null ? List.of(record) : list(spec.each().evaluate(record, frame));
            if (items.isEmpty() && spec.required()) {
                throw new IllegalArgumentException(spec.label() + " (line " + spec.line() + ") is required but "
                        + spec.each().text() + " gave nothing");
            }
            for (int j = 0; j < items.size(); j++) {
                Object item = items.get(j);
                String containment = recordKey + "/" + spec.label() + (spec.each() == null ? "" : "/" + j);
                Object timeInput = spec.time() == mapping.time() ? record : item;
                DeviceObservation obs = value(spec, item, timeInput, frame, source, device.withContainment(containment),
                        patient, recordFlags, index, ignored, context);
                if (obs != null) {
                    out.add(obs);
                }
            }
        }
        return out;
    }

    private DeviceObservation value(ValueSpec spec, Object item, Object timeInput, Jsonata.Frame frame, Source source,
                                    DeviceInfo device,
                                    PatientRef patient, Set<String> recordFlags, int index,
                                    List<MappingResult.Problem> ignored, IngestContext context) {
        String where = spec.label() + " (line " + spec.line() + ")";
        Object raw = single(spec.value().evaluate(item, frame), where);
        if (raw == null || (raw instanceof String s && s.isBlank())) {
            if (spec.required()) {
                throw new IllegalArgumentException(where + " is required but " + spec.value().text() + " gave nothing");
            }
            return null;
        }
        String mdc = spec.mdc();
        String loinc = spec.loinc();
        String defaultUnit = null;
        if (spec.codeMap() != null) {
            Object vendorCode = single(spec.codeFrom().evaluate(item, frame), where + " code.from");
            String code = vendorCode instanceof Number n ? new BigDecimal(n.toString()).stripTrailingZeros().toPlainString()
                    : vendorCode == null ? null : vendorCode.toString();
            VendorCode row = codeMaps.lookup(spec.codeMap(), code).orElseThrow(() -> new IllegalArgumentException(
                    where + ": vendor code '" + code + "' is not in mappings/codes/" + spec.codeMap() + ".csv"));
            if (row.ignore()) {
                ignored.add(new MappingResult.Problem(index, spec.label(), "vendor code " + code + " is ignored ("
                        + spec.codeMap() + ".csv): " + row.note()));
                return null;
            }
            mdc = row.mdcCode();
            loinc = row.loinc();
            defaultUnit = row.unit();
        }
        Optional<CodeEntry> entry = mdc != null ? terminology.byMdc(mdc) : terminology.byLoinc(loinc);
        ObservationCode code = new ObservationCode(mdc, mdc != null ? entry.map(CodeEntry::mdcRefId).orElse(null) : null,
                mdc != null ? entry.map(CodeEntry::loinc).orElse(loinc) : loinc,
                entry.map(CodeEntry::loincDisplay).orElse(null), mdc != null && loinc != null ? loinc : null);
        ObservationValue value = observationValue(spec, raw, item, frame, where, defaultUnit, entry, code);
        TimeSpec timeSpec = spec.time();
        OffsetDateTime effective = time(timeSpec, timeInput, frame, where);
        Set<String> flags = new LinkedHashSet<>(recordFlags);
        if (timeSpec.end() != null) {
            Object endRaw = single(timeSpec.end().evaluate(timeInput, frame), where + " time.end");
            if (endRaw != null) {
                OffsetDateTime end = timeSpec.format().read(endRaw, zone(timeSpec, timeInput, frame), timeSpec.wallClock());
                if (end.isBefore(effective)) {
                    flags.add(FLAG_END_BEFORE_START);
                }
            }
        }
        if (effective.toInstant().isAfter(context.receivedAt().plus(futureTolerance))) {
            flags.add(FLAG_FUTURE);
        }
        return new DeviceObservation(source, device, patient, null, code, value, effective, "final", Set.copyOf(flags),
                null, entry.map(CodeEntry::panelRole).orElse(null));
    }

    private ObservationValue observationValue(ValueSpec spec, Object raw, Object item, Jsonata.Frame frame,
                                              String where, String defaultUnit, Optional<CodeEntry> entry,
                                              ObservationCode code) {
        BigDecimal number = number(raw);
        if (number == null) {
            if (raw instanceof String text) {
                return ObservationValue.text(text);
            }
            throw new IllegalArgumentException(where + ": a number or text is expected, got " + TimeFormat.describe(raw));
        }
        String unitSent = spec.unit();
        if (spec.unitFrom() != null) {
            Object u = single(spec.unitFrom().evaluate(item, frame), where + " unit-from");
            unitSent = u == null ? null : u.toString();
        }
        if (unitSent == null) {
            unitSent = defaultUnit;
        }
        String canonical = entry.map(CodeEntry::ucum).orElse(null);
        if (unitSent == null) {
            if (canonical == null) {
                throw new IllegalArgumentException(where + ": no unit (give unit or unit-from)");
            }
            return ObservationValue.quantity(number, canonical, null);
        }
        String sentUnit = unitSent;
        String ucum = units.toUcum(sentUnit).orElseThrow(() -> new IllegalArgumentException(where + ": unit '"
                + sentUnit + "' is neither valid UCUM nor listed in mappings/units/ucum.csv"));
        if (canonical == null || canonical.equals(ucum)) {
            return ObservationValue.quantity(number, ucum, sentUnit);
        }
        BigDecimal converted = units.convert(number, ucum, canonical, code.loinc()).orElseThrow(() ->
                new IllegalArgumentException(where + ": " + ucum + " cannot be converted to " + canonical
                        + ", the unit of " + code.key()));
        return ObservationValue.quantity(converted, canonical, sentUnit);
    }

    private static OffsetDateTime time(TimeSpec spec, Object input, Jsonata.Frame frame, String where) {
        Object raw = single(spec.at().evaluate(input, frame), where + " time.at");
        try {
            return spec.format().read(raw, zone(spec, input, frame), spec.wallClock());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(spec.at().where() + ": " + e.getMessage());
        }
    }

    private static ZoneId zone(TimeSpec spec, Object input, Jsonata.Frame frame) {
        if (spec.zoneFrom() != null) {
            Object z = single(spec.zoneFrom().evaluate(input, frame), spec.zoneFrom().where());
            if (z != null) {
                return TimeFormat.zone(z);
            }
        }
        return spec.zone();
    }

    private DeviceInfo device(MappingDefinition mapping, Object record, Jsonata.Frame frame, IngestContext context) {
        String id = mapping.device() == null ? null : text(mapping.device().id(), record, frame);
        if (id == null) {
            id = context.deviceId() != null ? context.deviceId() : context.source();
        }
        String idType = mapping.device() != null && mapping.device().idType() != null ? mapping.device().idType()
                : id.matches("[0-9A-Fa-f]{16}") ? "EUI-64" : "serial";
        String model = mapping.device() == null ? null : text(mapping.device().model(), record, frame);
        return new DeviceInfo("EUI-64".equals(idType) ? id.toUpperCase(java.util.Locale.ROOT) : id, idType, null, model, null);
    }

    private PatientRef patient(MappingDefinition mapping, Object record, Jsonata.Frame frame, IngestContext context) {
        String value = mapping.patient() == null ? null : text(mapping.patient().id(), record, frame);
        if (value != null) {
            return new PatientRef(mapping.patient().system(), value);
        }
        if (context.patientId() != null && !context.patientId().isBlank()) {
            return new PatientRef(defaultPatientSystem, context.patientId());
        }
        return PatientRef.UNRESOLVED;
    }

    static Jsonata.Frame bindings(Expression any, Object root, IngestContext context) {
        Jsonata.Frame frame = any.newFrame();
        frame.bind("payload", root);
        frame.bind("source", context.source());
        frame.bind("device", context.deviceId());
        frame.bind("patient", context.patientId());
        return frame;
    }

    private static String text(Expression expression, Object input, Jsonata.Frame frame) {
        if (expression == null) {
            return null;
        }
        Object v = single(expression.evaluate(input, frame), expression.where());
        if (v == null) {
            return null;
        }
        String s = v instanceof Number n ? new BigDecimal(n.toString()).stripTrailingZeros().toPlainString() : v.toString();
        return s.isBlank() ? null : s.strip();
    }

    private static Object single(Object result, String where) {
        if (result instanceof List<?> list) {
            if (list.isEmpty()) {
                return null;
            }
            if (list.size() > 1) {
                throw new IllegalArgumentException(where + " gave " + list.size() + " values where one is expected (use each)");
            }
            Object only = list.get(0);
            return only == Jsonata.NULL_VALUE ? null : only;
        }
        if (result instanceof Map<?, ?>) {
            throw new IllegalArgumentException(where + " gave an object where a value is expected");
        }
        return result;
    }

    private static List<Object> list(Object result) {
        if (result == null) {
            return List.of();
        }
        List<Object> items = new ArrayList<>();
        for (Object item : result instanceof List<?> list ? list : List.of(result)) {
            if (item != null && item != Jsonata.NULL_VALUE) {
                items.add(item);
            }
        }
        return items;
    }

    /** Numbers and numeric text (IoT Hub sends "203") as decimals; floating-point noise rounded to 12 digits. */
    static BigDecimal number(Object raw) {
        if (raw instanceof Double || raw instanceof Float) {
            double d = ((Number) raw).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                return null;
            }
            BigDecimal bd = BigDecimal.valueOf(d).round(SIGNIFICANT).stripTrailingZeros();
            return bd.scale() < 0 ? bd.setScale(0) : bd;
        }
        if (raw instanceof Number n) {
            return new BigDecimal(n.toString());
        }
        if (raw instanceof String s && s.strip().matches("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?")) {
            return new BigDecimal(s.strip());
        }
        return null;
    }

    private static boolean truthy(Object v) {
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof List<?> list) {
            return list.stream().anyMatch(VendorMapper::truthy);
        }
        if (v instanceof String s) {
            return !s.isEmpty();
        }
        if (v instanceof Number n) {
            return n.doubleValue() != 0;
        }
        return v != null;
    }
}
