package io.vigil.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.model.DeviceObservation;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The analyst's view of a mapping result: what a golden case's expected.json holds and what
 * {@code mapping test} prints, one line of meaning per observation, free of arrival times and hashes so that it
 * is the same on every run. {@link #diff} lists the differences against an expected file by JSON path.
 */
public final class MappingReport {

    public static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private MappingReport() {
    }

    public static ObjectNode of(MappingResult result) {
        ObjectNode report = JSON.createObjectNode();
        report.put("mapping", result.mapping().name());
        report.put("records", result.records());
        ArrayNode observations = report.putArray("observations");
        for (DeviceObservation o : result.batch().observations()) {
            ObjectNode n = observations.addObject();
            n.put("patient", o.patient().resolved() ? o.patient().system() + "|" + o.patient().value() : null);
            n.put("device", o.device().id());
            n.put("deviceIdType", o.device().idType());
            if (o.device().model() != null) {
                n.put("deviceModel", o.device().model());
            }
            ObjectNode code = n.putObject("code");
            if (o.code().mdcCode() != null) {
                code.put("mdc", o.code().mdcCode());
            }
            if (o.code().loinc() != null) {
                code.put("loinc", o.code().loinc());
            }
            if (o.code().display() != null) {
                code.put("display", o.code().display());
            }
            if (o.value().hasQuantity()) {
                n.put("value", o.value().quantity());
                n.put("unit", o.value().ucum());
                if (o.value().unitAsSent() != null && !o.value().unitAsSent().equals(o.value().ucum())) {
                    n.put("unitAsSent", o.value().unitAsSent());
                }
            } else {
                n.put("text", o.value().text());
            }
            n.put("time", o.effective().toString());
            if (o.panelRole() != null) {
                n.put("panelRole", o.panelRole());
            }
            if (!o.flags().isEmpty()) {
                ArrayNode flags = n.putArray("flags");
                new TreeSet<>(o.flags()).forEach(flags::add);
            }
            n.put("sourceKey", o.device().containment());
        }
        ArrayNode rejected = report.putArray("rejected");
        result.rejected().forEach(p -> rejected.add(p.toString()));
        ArrayNode ignored = report.putArray("ignored");
        result.ignored().forEach(p -> ignored.add(p.toString()));
        return report;
    }

    /** Differences as "path: expected X, got Y"; empty when the result is as expected. */
    public static List<String> diff(JsonNode expected, JsonNode actual) {
        List<String> out = new ArrayList<>();
        diff("$", expected, actual, out);
        return out;
    }

    private static void diff(String path, JsonNode expected, JsonNode actual, List<String> out) {
        if (expected == null || expected.isMissingNode()) {
            out.add(path + ": not expected, got " + abbreviate(actual));
            return;
        }
        if (actual == null || actual.isMissingNode()) {
            out.add(path + ": expected " + abbreviate(expected) + ", got nothing");
            return;
        }
        if (expected.isObject() && actual.isObject()) {
            TreeSet<String> names = new TreeSet<>();
            expected.fieldNames().forEachRemaining(names::add);
            actual.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                diff(path + "." + name, expected.get(name), actual.get(name), out);
            }
        } else if (expected.isArray() && actual.isArray()) {
            int n = Math.max(expected.size(), actual.size());
            for (int i = 0; i < n; i++) {
                diff(path + "[" + i + "]", expected.get(i), actual.get(i), out);
            }
        } else if (expected.isNumber() && actual.isNumber()) {
            if (expected.decimalValue().compareTo(actual.decimalValue()) != 0) {
                out.add(path + ": expected " + expected + ", got " + actual);
            }
        } else if (!expected.equals(actual)) {
            out.add(path + ": expected " + abbreviate(expected) + ", got " + abbreviate(actual));
        }
    }

    private static String abbreviate(JsonNode node) {
        String s = node == null ? "nothing" : node.toString();
        return s.length() > 120 ? s.substring(0, 117) + "..." : s;
    }
}
