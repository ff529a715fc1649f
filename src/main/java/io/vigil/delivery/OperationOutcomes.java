package io.vigil.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A short account of a FHIR server's error response: the OperationOutcome issue codes and diagnostics. */
final class OperationOutcomes {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX = 300;

    private OperationOutcomes() {
    }

    static String summary(String body) {
        if (body == null || body.isBlank()) {
            return "(empty response)";
        }
        try {
            JsonNode root = JSON.readTree(body);
            if ("OperationOutcome".equals(root.path("resourceType").asText())) {
                StringBuilder out = new StringBuilder();
                for (JsonNode issue : root.path("issue")) {
                    out.append('[').append(issue.path("severity").asText()).append(' ')
                            .append(issue.path("code").asText()).append("] ")
                            .append(issue.path("diagnostics").asText()).append(' ');
                }
                return cut(out.toString().strip());
            }
        } catch (Exception ignored) {
            // not JSON: fall through to the raw text
        }
        return cut(body.strip());
    }

    private static String cut(String s) {
        return s.length() > MAX ? s.substring(0, MAX) + "..." : s;
    }
}
