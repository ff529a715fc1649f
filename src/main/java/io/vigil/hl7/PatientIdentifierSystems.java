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
        String configured = systems.get(authority.strip());
        return configured != null ? configured : "urn:vigil:id:" + authority.strip().replaceAll("[^A-Za-z0-9.\\-]", "-");
    }
}
