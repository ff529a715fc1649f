package io.vigil.hl7;

import java.util.Map;

/**
 * Turns the assigning authority of a patient identifier (PID-3.4) into a FHIR identifier system URI, from the
 * map in vigil.hl7.identifier-systems; an authority not in the map becomes urn:vigil:id:&lt;authority&gt;.
 */
public final class PatientIdentifierSystems {

    private final Map<String, String> systems;

    public PatientIdentifierSystems(Map<String, String> systems) {
        this.systems = Map.copyOf(systems);
    }

    public String systemFor(String authority) {
        if (authority == null || authority.isBlank()) {
            return "urn:vigil:id:local";
        }
        String stripped = authority.strip();
        String configured = systems.get(stripped);
        return configured != null ? configured : "urn:vigil:id:" + safe(stripped);
    }

    /**
     * Letters, digits, '.' and '-' kept, every other character (a code point: a pair of surrogates is one) '-': what a
     * URN's part may hold without escaping.
     */
    static String safe(String authority) {
        StringBuilder safe = null;
        for (int i = 0; i < authority.length(); i++) {
            char c = authority.charAt(i);
            boolean kept = c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '-';
            if (!kept && safe == null) {
                safe = new StringBuilder(authority.length()).append(authority, 0, i);
            }
            if (safe != null) {
                safe.append(kept ? c : '-');
                if (Character.isHighSurrogate(c) && i + 1 < authority.length()
                        && Character.isLowSurrogate(authority.charAt(i + 1))) {
                    i++;
                }
            }
        }
        return safe == null ? authority : safe.toString();
    }
}
