package io.vigil.normalize;

/** One row of mappings/codes/mdc-loinc.csv. Empty columns are null. */
public record CodeEntry(String mdcCode, String mdcRefId, String loinc, String loincDisplay, String ucum,
                        String vitalProfile, String panelRole) {
}
