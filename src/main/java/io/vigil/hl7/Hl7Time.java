package io.vigil.hl7;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * HL7 v2 DTM values (YYYY[MM[DD[HH[MM[SS[.S...]]]]]][+/-ZZZZ]) to an offset date-time. A value without an
 * offset is read in the configured zone of the sending devices.
 */
public final class Hl7Time {

    private Hl7Time() {
    }

    /** Returns null for an empty value; throws IllegalArgumentException for a malformed one. */
    public static OffsetDateTime parse(String value, ZoneId zoneWithoutOffset) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String s = value.strip();
        int offsetAt = Math.max(s.indexOf('+'), s.indexOf('-'));
        int localEnd = offsetAt > 0 ? offsetAt : s.length();
        int dot = s.indexOf('.');
        int digits = dot >= 0 && dot < localEnd ? dot : localEnd; // the date and time digits end here
        // YYYY[MM[DD[HH[MM[SS]]]]], then [.S{0,9}], then [+/-ZZZZ]: read by position, every character checked
        boolean wellFormed = digits >= 4 && digits <= 14 && digits % 2 == 0 && allDigits(s, 0, digits)
                && (digits == localEnd || (localEnd - digits - 1 <= 9 && allDigits(s, digits + 1, localEnd)))
                && (offsetAt <= 0 || (s.length() - offsetAt == 5 && allDigits(s, offsetAt + 1, s.length())));
        if (!wellFormed) {
            throw new IllegalArgumentException("not an HL7 date/time: '" + value + "'");
        }
        int year = number(s, 0, 4);
        int month = digits >= 6 ? number(s, 4, 6) : 1;
        int day = digits >= 8 ? number(s, 6, 8) : 1;
        int hour = digits >= 10 ? number(s, 8, 10) : 0;
        int minute = digits >= 12 ? number(s, 10, 12) : 0;
        int second = digits >= 14 ? number(s, 12, 14) : 0;
        int nanos = 0;
        for (int i = 0, at = digits + 1; i < 9; i++, at++) {
            nanos = nanos * 10 + (at < localEnd ? s.charAt(at) - '0' : 0);
        }
        LocalDateTime time = LocalDateTime.of(year, month, day, hour, minute, second, nanos);
        if (offsetAt <= 0) {
            return time.atZone(zoneWithoutOffset).toOffsetDateTime();
        }
        int hours = number(s, offsetAt + 1, offsetAt + 3);
        int minutes = number(s, offsetAt + 3, offsetAt + 5);
        int sign = s.charAt(offsetAt) == '-' ? -1 : 1;
        return time.atOffset(ZoneOffset.ofHoursMinutes(sign * hours, sign * minutes));
    }

    private static boolean allDigits(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static int number(String s, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            n = n * 10 + (s.charAt(i) - '0');
        }
        return n;
    }
}
