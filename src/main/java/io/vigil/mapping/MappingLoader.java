package io.vigil.mapping;

import io.vigil.ingest.Hashes;
import io.vigil.mapping.MappingDefinition.DeviceSpec;
import io.vigil.mapping.MappingDefinition.PatientSpec;
import io.vigil.mapping.MappingDefinition.PayloadFormat;
import io.vigil.mapping.MappingDefinition.TimeSpec;
import io.vigil.mapping.MappingDefinition.ValueSpec;
import io.vigil.normalize.CodeMaps;
import io.vigil.normalize.Terminology;
import io.vigil.normalize.Units;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads and checks one mapping file: its structure (known keys only), that every JSONata expression compiles,
 * that codes exist in mappings/codes and units in UCUM or mappings/units. A file that fails any check is refused
 * with its file, line and reason.
 */
public final class MappingLoader {

    private static final Set<String> TOP = Set.of("name", "description", "format", "delimiter", "match", "records",
            "record-id", "message-id", "device", "patient", "time", "manual", "test-data", "values");
    private static final Set<String> DEVICE = Set.of("id", "id-type", "model");
    private static final Set<String> PATIENT = Set.of("id", "system");
    private static final Set<String> TIME = Set.of("at", "end", "format", "zone", "zone-from", "wall-clock");
    private static final Set<String> VALUE = Set.of("name", "each", "code", "value", "unit", "unit-from", "time", "required");
    private static final Set<String> CODE = Set.of("mdc", "loinc", "map", "from");

    private final Terminology terminology;
    private final Units units;
    private final CodeMaps codeMaps;

    public MappingLoader(Terminology terminology, Units units, CodeMaps codeMaps) {
        this.terminology = terminology;
        this.units = units;
        this.codeMaps = codeMaps;
    }

    /**
     * @param file path shown in messages (relative to the mappings folder, e.g. vendors/withings.yaml)
     * @param defaultName the file name without extension
     */
    public MappingDefinition load(String file, String defaultName, String text) throws MappingRejectedException {
        Node root;
        try {
            root = new Yaml(new LoaderOptions()).compose(new java.io.StringReader(text));
        } catch (MarkedYAMLException e) {
            throw new MappingRejectedException(file, e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1,
                    "not valid YAML: " + e.getProblem());
        } catch (RuntimeException e) {
            throw new MappingRejectedException(file, 0, "not valid YAML: " + e.getMessage());
        }
        if (!(root instanceof MappingNode top)) {
            throw new MappingRejectedException(file, 1, "a mapping file is a YAML map (name, match, values, ...)");
        }
        Reader r = new Reader(file);
        Map<String, Node> keys = r.keys(top, TOP, "the mapping");
        String name = r.scalarOr(keys, "name", defaultName);
        if (!name.matches("[a-z0-9][a-z0-9-]*")) {
            throw new MappingRejectedException(file, line(keys.getOrDefault("name", top)),
                    "name '" + name + "' must be lower-case letters, digits and dashes");
        }
        PayloadFormat format = switch (r.scalarOr(keys, "format", "json")) {
            case "json" -> PayloadFormat.JSON;
            case "csv" -> PayloadFormat.CSV;
            default -> throw new MappingRejectedException(file, line(keys.get("format")), "format must be json or csv");
        };
        String delimiterText = r.scalarOr(keys, "delimiter", ",");
        if (delimiterText.length() != 1) {
            throw new MappingRejectedException(file, line(keys.get("delimiter")), "delimiter must be one character");
        }
        if (format == PayloadFormat.CSV && keys.containsKey("records")) {
            throw new MappingRejectedException(file, line(keys.get("records")),
                    "records does not apply to csv: every row of a CSV payload is one record");
        }
        Expression match = r.requiredExpression(keys, "match", top);
        TimeSpec time = keys.containsKey("time") ? time(r, keys.get("time")) : null;
        List<ValueSpec> values = values(r, keys.get("values"), top, time);
        return new MappingDefinition(name, file, Hashes.sha256(text.getBytes(StandardCharsets.UTF_8)).substring(0, 12),
                r.scalarOr(keys, "description", null), format, delimiterText.charAt(0), match,
                r.expression(keys, "records"), r.expression(keys, "record-id"), r.expression(keys, "message-id"),
                device(r, keys.get("device")), patient(r, keys.get("patient")), time,
                r.expression(keys, "manual"), r.expression(keys, "test-data"), values);
    }

    private static DeviceSpec device(Reader r, Node node) throws MappingRejectedException {
        if (node == null) {
            return null;
        }
        Map<String, Node> keys = r.keys(node, DEVICE, "device");
        String idType = r.scalarOr(keys, "id-type", null);
        if (idType != null && !Set.of("EUI-64", "serial").contains(idType)) {
            throw new MappingRejectedException(r.file, line(keys.get("id-type")), "device.id-type must be EUI-64 or serial");
        }
        return new DeviceSpec(r.requiredExpression(keys, "id", node), idType, r.expression(keys, "model"));
    }

    private static PatientSpec patient(Reader r, Node node) throws MappingRejectedException {
        if (node == null) {
            return null;
        }
        Map<String, Node> keys = r.keys(node, PATIENT, "patient");
        String system = r.scalarOr(keys, "system", null);
        if (system == null || !system.matches("(https?|urn):.+")) {
            throw new MappingRejectedException(r.file, line(keys.getOrDefault("system", node)),
                    "patient.system must be the URI of the identifier system (http(s):// or urn:)");
        }
        return new PatientSpec(r.requiredExpression(keys, "id", node), system);
    }

    private static TimeSpec time(Reader r, Node node) throws MappingRejectedException {
        Map<String, Node> keys = r.keys(node, TIME, "time");
        String formatName = r.scalarOr(keys, "format", "auto");
        TimeFormat format = TimeFormat.fromFileName(formatName);
        if (format == null) {
            throw new MappingRejectedException(r.file, line(keys.get("format")),
                    "time.format must be one of auto, epoch-seconds, epoch-millis, epoch-nanos, iso, local");
        }
        ZoneId zone = null;
        String zoneText = r.scalarOr(keys, "zone", null);
        if (zoneText != null) {
            try {
                zone = ZoneId.of(zoneText);
            } catch (DateTimeException e) {
                throw new MappingRejectedException(r.file, line(keys.get("zone")), "'" + zoneText + "' is not a time zone id");
            }
        }
        Expression zoneFrom = r.expression(keys, "zone-from");
        boolean wallClock = "true".equals(r.scalarOr(keys, "wall-clock", "false"));
        if ((format == TimeFormat.LOCAL || wallClock) && zone == null && zoneFrom == null) {
            throw new MappingRejectedException(r.file, line(node), "local times need time.zone or time.zone-from");
        }
        return new TimeSpec(r.requiredExpression(keys, "at", node), r.expression(keys, "end"), format, zone, zoneFrom, wallClock);
    }

    private List<ValueSpec> values(Reader r, Node node, Node top, TimeSpec recordTime) throws MappingRejectedException {
        if (!(node instanceof SequenceNode list) || list.getValue().isEmpty()) {
            throw new MappingRejectedException(r.file, line(node == null ? top : node), "values must be a non-empty list");
        }
        List<ValueSpec> values = new ArrayList<>();
        for (Node item : list.getValue()) {
            Map<String, Node> keys = r.keys(item, VALUE, "a value");
            int line = line(item);
            TimeSpec time = keys.containsKey("time") ? time(r, keys.get("time")) : recordTime;
            if (time == null) {
                throw new MappingRejectedException(r.file, line, "no time: give time at the top of the mapping or in this value");
            }
            Node codeNode = keys.get("code");
            if (codeNode == null) {
                throw new MappingRejectedException(r.file, line, "code is required (mdc, loinc, or map with from)");
            }
            Map<String, Node> code = r.keys(codeNode, CODE, "code");
            String mdc = r.scalarOr(code, "mdc", null);
            String loinc = r.scalarOr(code, "loinc", null);
            String map = r.scalarOr(code, "map", null);
            Expression from = r.expression(code, "from");
            if ((map == null) != (from == null)) {
                throw new MappingRejectedException(r.file, line(codeNode), "code.map and code.from go together");
            }
            if (map == null && mdc == null && loinc == null) {
                throw new MappingRejectedException(r.file, line(codeNode), "code needs mdc, loinc, or map with from");
            }
            if (map != null && (mdc != null || loinc != null)) {
                throw new MappingRejectedException(r.file, line(codeNode), "code takes either a vendor code map or mdc/loinc, not both");
            }
            if (mdc != null && terminology.byMdc(mdc).isEmpty()) {
                throw new MappingRejectedException(r.file, line(code.get("mdc")), "MDC code " + mdc + " is not in codes/mdc-loinc.csv");
            }
            if (mdc == null && loinc != null && terminology.byLoinc(loinc).isEmpty()) {
                throw new MappingRejectedException(r.file, line(code.get("loinc")), "LOINC code " + loinc + " is not in codes/mdc-loinc.csv");
            }
            if (map != null && !codeMaps.has(map)) {
                throw new MappingRejectedException(r.file, line(code.get("map")), "code map '" + map
                        + "' does not exist (mappings/codes/" + map + ".csv with header " + CodeMaps.HEADER_START + "...)");
            }
            String unit = r.scalarOr(keys, "unit", null);
            if (unit != null && units.toUcum(unit).isEmpty()) {
                throw new MappingRejectedException(r.file, line(keys.get("unit")), "unit '" + unit
                        + "' is neither valid UCUM nor listed in units/ucum.csv");
            }
            Expression unitFrom = r.expression(keys, "unit-from");
            if (unit != null && unitFrom != null) {
                throw new MappingRejectedException(r.file, line(keys.get("unit")), "give unit or unit-from, not both");
            }
            String label = r.scalarOr(keys, "name", mdc != null ? "mdc-" + mdc : loinc != null ? "loinc-" + loinc : "value");
            values.add(new ValueSpec(label, line, r.expression(keys, "each"), mdc, loinc, map, from,
                    r.requiredExpression(keys, "value", item), unit, unitFrom, time,
                    "true".equals(r.scalarOr(keys, "required", "false"))));
        }
        return List.copyOf(values);
    }

    static int line(Node node) {
        return node == null ? 0 : node.getStartMark().getLine() + 1;
    }

    /** Reads nodes of one file, refusing anything unexpected with its line. */
    private static final class Reader {
        private final String file;

        Reader(String file) {
            this.file = file;
        }

        Map<String, Node> keys(Node node, Set<String> allowed, String what) throws MappingRejectedException {
            if (!(node instanceof MappingNode map)) {
                throw new MappingRejectedException(file, line(node), what + " must be a map of keys");
            }
            Map<String, Node> keys = new LinkedHashMap<>();
            for (NodeTuple tuple : map.getValue()) {
                String key = tuple.getKeyNode() instanceof ScalarNode s ? s.getValue() : null;
                if (key == null || !allowed.contains(key)) {
                    throw new MappingRejectedException(file, line(tuple.getKeyNode()), "unknown key '" + key + "' in "
                            + what + "; allowed: " + String.join(", ", allowed.stream().sorted().toList()));
                }
                if (keys.put(key, tuple.getValueNode()) != null) {
                    throw new MappingRejectedException(file, line(tuple.getKeyNode()), "key '" + key + "' given twice");
                }
            }
            return keys;
        }

        String scalarOr(Map<String, Node> keys, String key, String fallback) throws MappingRejectedException {
            Node node = keys.get(key);
            if (node == null) {
                return fallback;
            }
            if (!(node instanceof ScalarNode s)) {
                throw new MappingRejectedException(file, line(node), key + " must be a single value");
            }
            return s.getValue().strip();
        }

        Expression expression(Map<String, Node> keys, String key) throws MappingRejectedException {
            String text = scalarOr(keys, key, null);
            if (text == null) {
                return null;
            }
            int line = line(keys.get(key));
            try {
                return Expression.compile(text, file + ":" + line + " " + key);
            } catch (IllegalArgumentException e) {
                throw new MappingRejectedException(file, line, key + ": " + e.getMessage());
            }
        }

        Expression requiredExpression(Map<String, Node> keys, String key, Node parent) throws MappingRejectedException {
            Expression e = expression(keys, key);
            if (e == null) {
                throw new MappingRejectedException(file, line(parent), key + " is required");
            }
            return e;
        }
    }
}
