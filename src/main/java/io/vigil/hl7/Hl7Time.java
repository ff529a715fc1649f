package io.vigil.hl7;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.regex.Pattern;

/**
 * HL7 v2 DTM values (YYYY[MM[DD[HH[MM[SS[.S...]]]]]][+/-ZZZZ]) to an offset date-time. A value without an
 * offset is read in the configured zone of the sending devices.
 */
public final class Hl7Time {

    private static final Pattern DIGITS = Pattern.compile("\\d{4}(\\d{2}){0,5}");
    private static final Pattern FRACTION = Pattern.compile("\\d{0,9}");
    private static final Pattern OFFSET = Pattern.compile("[+-]\\d{4}");

    private Hl7Time() {
    }

    /** Returns null for an empty value; throws IllegalArgumentException for a malformed one. */
    public static OffsetDateTime parse(String value, ZoneId zoneWithoutOffset) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String s = value.strip();
        int offsetAt = Math.max(s.indexOf('+'), s.indexOf('-'));
        String local = offsetAt > 0 ? s.substring(0, offsetAt) : s;
        String offset = offsetAt > 0 ? s.substring(offsetAt) : null;
        int dot = local.indexOf('.');
        String digits = dot >= 0 ? local.substring(0, dot) : local;
        String fraction = dot >= 0 ? local.substring(dot + 1) : "";
        if (!DIGITS.matcher(digits).matches() || !FRACTION.matcher(fraction).matches()
                || (offset != null && !OFFSET.matcher(offset).matches())) {
            throw new IllegalArgumentException("not an HL7 date/time: '" + value + "'");
        }
        int year = Integer.parseInt(digits.substring(0, 4));
        int month = digits.length() >= 6 ? Integer.parseInt(digits.substring(4, 6)) : 1;
        int day = digits.length() >= 8 ? Integer.parseInt(digits.substring(6, 8)) : 1;
        int hour = digits.length() >= 10 ? Integer.parseInt(digits.substring(8, 10)) : 0;
        int minute = digits.length() >= 12 ? Integer.parseInt(digits.substring(10, 12)) : 0;
        int second = digits.length() >= 14 ? Integer.parseInt(digits.substring(12, 14)) : 0;
        int nanos = fraction.isEmpty() ? 0 : Integer.parseInt((fraction + "000000000").substring(0, 9));
        LocalDateTime time = LocalDateTime.of(year, month, day, hour, minute, second, nanos);
        if (offset == null) {
            return time.atZone(zoneWithoutOffset).toOffsetDateTime();
        }
        int hours = Integer.parseInt(offset.substring(1, 3));
        int minutes = Integer.parseInt(offset.substring(3, 5));
        int sign = offset.charAt(0) == '-' ? -1 : 1;
        return time.atOffset(ZoneOffset.ofHoursMinutes(sign * hours, sign * minutes));
    }
}
