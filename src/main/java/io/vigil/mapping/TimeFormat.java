package io.vigil.mapping;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;
import java.util.Locale;

/**
 * How a vendor sends a time: epoch seconds, milliseconds or nanoseconds (number or numeric text), ISO 8601 with
 * an offset, or a local date and time read in a zone. {@code AUTO} tells epoch units apart by magnitude and
 * reads text as ISO 8601.
 */
public enum TimeFormat {
    AUTO, EPOCH_SECONDS, EPOCH_MILLIS, EPOCH_NANOS, ISO, LOCAL;

    private static final BigDecimal THOUSAND = BigDecimal.valueOf(1000);
    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);
    private static final BigDecimal BILLION = BigDecimal.valueOf(1_000_000_000);

    /** The name used in mapping files: auto, epoch-seconds, epoch-millis, epoch-nanos, iso, local. */
    public String fileName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static TimeFormat fromFileName(String name) {
        for (TimeFormat f : values()) {
            if (f.fileName().equals(name)) {
                return f;
            }
        }
        return null;
    }

    /**
     * @param raw a JSONata result: Number or String
     * @param zone the zone of local times (and of wall-clock epochs); may be null
     * @param wallClock the epoch counts local wall-clock time in {@code zone}, not UTC (iHealth's MDate)
     * @throws IllegalArgumentException naming what could not be read
     */
    public OffsetDateTime read(Object raw, ZoneId zone, boolean wallClock) {
        if (raw instanceof Number n) {
            return epoch(new BigDecimal(n.toString()), zone, wallClock);
        }
        if (!(raw instanceof String text) || text.isBlank()) {
            throw new IllegalArgumentException("no time (got " + describe(raw) + ")");
        }
        String s = text.strip();
        if (this == EPOCH_SECONDS || this == EPOCH_MILLIS || this == EPOCH_NANOS || (this == AUTO && s.matches("-?\\d+(\\.\\d+)?"))) {
            try {
                return epoch(new BigDecimal(s), zone, wallClock);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + s + "' is not an epoch number");
            }
        }
        TemporalAccessor parsed;
        try {
            parsed = DateTimeFormatter.ISO_DATE_TIME.parseBest(s, OffsetDateTime::from, LocalDateTime::from);
        } catch (DateTimeParseException e) {
            try {
                parsed = LocalDate.parse(s).atStartOfDay();
            } catch (DateTimeParseException again) {
                throw new IllegalArgumentException("'" + s + "' is not an ISO 8601 date-time");
            }
        }
        if (parsed instanceof OffsetDateTime odt) {
            return odt;
        }
        if (zone == null) {
            throw new IllegalArgumentException("'" + s + "' has no UTC offset and the mapping names no time zone (time.zone or time.zone-from)");
        }
        LocalDateTime local = (LocalDateTime) parsed;
        return local.atZone(zone).toOffsetDateTime();
    }

    private OffsetDateTime epoch(BigDecimal value, ZoneId zone, boolean wallClock) {
        BigDecimal seconds = switch (this) {
            case EPOCH_MILLIS -> value.divide(THOUSAND);
            case EPOCH_NANOS -> value.divide(BILLION);
            case AUTO -> byMagnitude(value);
            default -> value;
        };
        BigInteger whole = seconds.toBigInteger();
        long nanos = seconds.subtract(new BigDecimal(whole)).multiply(BILLION).longValue();
        Instant instant;
        try {
            instant = Instant.ofEpochSecond(whole.longValueExact(), nanos);
        } catch (ArithmeticException | DateTimeException e) {
            throw new IllegalArgumentException("epoch value " + value.toPlainString() + " is out of range");
        }
        if (wallClock) {
            if (zone == null) {
                throw new IllegalArgumentException("a wall-clock epoch needs a time zone (time.zone or time.zone-from)");
            }
            return LocalDateTime.ofInstant(instant, ZoneOffset.UTC).atZone(zone).toOffsetDateTime();
        }
        return instant.atOffset(ZoneOffset.UTC);
    }

    /** Seconds below 10^11 (until year 5138), milliseconds below 10^14, microseconds below 10^17, else nanoseconds. */
    private static BigDecimal byMagnitude(BigDecimal value) {
        BigDecimal abs = value.abs();
        if (abs.compareTo(new BigDecimal("1e11")) < 0) {
            return value;
        }
        if (abs.compareTo(new BigDecimal("1e14")) < 0) {
            return value.divide(THOUSAND);
        }
        if (abs.compareTo(new BigDecimal("1e17")) < 0) {
            return value.divide(MILLION);
        }
        return value.divide(BILLION);
    }

    /** A zone from vendor text: a zone id (Europe/London), an offset (+01:00, -0800, Z). */
    public static ZoneId zone(Object raw) {
        if (!(raw instanceof String s) || s.isBlank()) {
            throw new IllegalArgumentException("no time zone (got " + describe(raw) + ")");
        }
        String z = s.strip();
        try {
            if (z.matches("[+-]\\d{4}")) {
                return ZoneOffset.of(z.substring(0, 3) + ":" + z.substring(3));
            }
            return ZoneId.of(z);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("'" + z + "' is not a time zone or UTC offset");
        }
    }

    static String describe(Object raw) {
        return raw == null ? "nothing" : raw instanceof String s ? "'" + s + "'" : raw.getClass().getSimpleName();
    }
}
