package io.vigil.model;

/**
 * What was measured.
 *
 * @param mdcCode IEEE 11073-10101 numeric code (the match key; refids vary between vendors)
 * @param mdcRefId reference id as sent or as mapped
 * @param loinc LOINC code from mappings/codes, null when none is mapped
 * @param display human-readable name
 * @param senderLoinc a LOINC code the sender put beside the MDC code, kept as sent
 */
public record ObservationCode(String mdcCode, String mdcRefId, String loinc, String display, String senderLoinc) {

    public String key() {
        return mdcCode != null ? "mdc:" + mdcCode : "loinc:" + loinc;
    }
}
