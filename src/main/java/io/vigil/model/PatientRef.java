package io.vigil.model;

/** A patient identifier (system URI and value); {@link #UNRESOLVED} when the source named no patient. */
public record PatientRef(String system, String value) {

    public static final PatientRef UNRESOLVED = new PatientRef(null, null);

    public boolean resolved() {
        return value != null && !value.isBlank();
    }
}
