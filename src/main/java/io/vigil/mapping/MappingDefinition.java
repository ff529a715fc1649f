package io.vigil.mapping;

import java.time.ZoneId;
import java.util.List;

/**
 * One vendor payload shape, as written by an interface analyst in mappings/vendors/*.yaml and compiled by
 * {@link MappingLoader}. docs/mappings.md is the reference of the format.
 *
 * @param file path of the file, relative to the mappings folder
 * @param version first 12 hex digits of the SHA-256 of the file
 */
public record MappingDefinition(
        String name,
        String file,
        String version,
        String description,
        PayloadFormat format,
        char delimiter,
        Expression match,
        Expression records,
        Expression recordId,
        Expression messageId,
        DeviceSpec device,
        PatientSpec patient,
        TimeSpec time,
        Expression manual,
        Expression testData,
        List<ValueSpec> values) {

    public enum PayloadFormat { JSON, CSV }

    /** @param idType "EUI-64", "serial" or null (EUI-64 when the id is 16 hex digits) */
    public record DeviceSpec(Expression id, String idType, Expression model) {
    }

    /** @param system identifier system URI of the patient identifier */
    public record PatientSpec(Expression id, String system) {
    }

    /**
     * @param at the measurement time (start of an interval)
     * @param end end of an interval, may be null; an end before the start is flagged
     * @param wallClock epoch numbers count local wall-clock time in the zone (iHealth MDate)
     */
    public record TimeSpec(Expression at, Expression end, TimeFormat format, ZoneId zone, Expression zoneFrom,
                           boolean wallClock) {
    }

    /**
     * One kind of value of a record.
     *
     * @param each optional collection inside the record: one observation per item
     * @param codeMap vendor code map in mappings/codes (with {@code codeFrom})
     * @param unit unit literal (UCUM or an alias of mappings/units/ucum.csv); {@code unitFrom} reads it from the payload
     * @param required a record without this value is refused rather than charted without it
     */
    public record ValueSpec(String label, int line, Expression each, String mdc, String loinc, String codeMap,
                            Expression codeFrom, Expression value, String unit, Expression unitFrom, TimeSpec time,
                            boolean required) {
    }
}
