package io.vigil.hl7;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class Hl7TimeTest {

    private static final ZoneId ZONE = ZoneId.of("Europe/Berlin");

    @Test
    void shouldReadEachPrecisionAndOffset() {
        assertThat(Hl7Time.parse("2025", ZONE)).isEqualTo(OffsetDateTime.of(2025, 1, 1, 0, 0, 0, 0, ZoneOffset.ofHours(1)));
        assertThat(Hl7Time.parse("20250714", ZONE)).isEqualTo(OffsetDateTime.of(2025, 7, 14, 0, 0, 0, 0, ZoneOffset.ofHours(2)));
        assertThat(Hl7Time.parse("20250714093015.123-0500", ZONE))
                .isEqualTo(OffsetDateTime.of(2025, 7, 14, 9, 30, 15, 123_000_000, ZoneOffset.ofHours(-5)));
        assertThat(Hl7Time.parse(" 202507140930+0130 ", ZONE)).isEqualTo(OffsetDateTime.of(2025, 7, 14, 9, 30, 0, 0, ZoneOffset.ofHoursMinutes(1, 30)));
        assertThat(Hl7Time.parse("20250714093015.000000001", ZONE).getNano()).isEqualTo(1);
        assertThat(Hl7Time.parse("", ZONE)).isNull();
        assertThat(Hl7Time.parse(null, ZONE)).isNull();
        assertThatThrownBy(() -> Hl7Time.parse("2025071", ZONE)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'2025071'");
        assertThatThrownBy(() -> Hl7Time.parse("20250714093015.1234567890", ZONE)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Hl7Time.parse("20250714+05", ZONE)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Hl7Time.parse("-20250714", ZONE)).isInstanceOf(IllegalArgumentException.class);
    }

    /** Real and mutated values read alike by the position reader and by the pattern definition it replaced. */
    @Test
    void shouldAgreeWithThePatternDefinitionOnMutatedValues() {
        List<String> values = new ArrayList<>(List.of("20100511164000-0400", "20090318155700", "20250714093015.123+0000",
                "2025", "202507", "2025071409", "202507140930", "20250714093015.", "20251332", "20250714256000",
                "20250714093015-2400", "20250714093015+1860", "2025-07-14", "20250714.5+0100", "20250714+0100.5",
                "+20250714", "20250714+-0100", "２０２５", "20250714093015.12a", "1.2", "."));
        Random random = new Random(11);
        String alphabet = "0123456789+-. Ta";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder value = new StringBuilder(values.get(random.nextInt(21)));
            for (int edits = 1 + random.nextInt(3); edits > 0; edits--) {
                int at = value.length() == 0 ? 0 : random.nextInt(value.length());
                switch (random.nextInt(3)) {
                    case 0 -> value.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                    case 1 -> { if (value.length() > 0) value.deleteCharAt(at); }
                    default -> { if (value.length() > 0) value.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length()))); }
                }
            }
            values.add(value.toString());
        }
        int read = 0;
        for (String value : values) {
            String expected = outcome(() -> byPattern(value, ZONE));
            assertThat(outcome(() -> Hl7Time.parse(value, ZONE))).as("'%s'", value).isEqualTo(expected);
            read += expected.startsWith("value") ? 1 : 0;
        }
        assertThat(read).as("values read, not refused").isGreaterThan(1_000);
    }

    private static String outcome(java.util.function.Supplier<OffsetDateTime> parse) {
        try {
            return "value " + parse.get();
        } catch (RuntimeException e) {
            return "refused " + e.getClass().getSimpleName() + " " + e.getMessage();
        }
    }

    private static final Pattern DIGITS = Pattern.compile("\\d{4}(\\d{2}){0,5}");
    private static final Pattern FRACTION = Pattern.compile("\\d{0,9}");
    private static final Pattern OFFSET = Pattern.compile("[+-]\\d{4}");

    /** The definition: the DTM grammar as regular expressions, then the parts parsed as numbers. */
    private static OffsetDateTime byPattern(String value, ZoneId zoneWithoutOffset) {
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
