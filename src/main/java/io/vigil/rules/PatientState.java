package io.vigil.rules;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * What the clinical rules remember of one patient: the latest value of each parameter, a short SpO2 history
 * for trends, the last NEWS2 and the active alerts. Bounded: at most {@link #SPO2_HISTORY} SpO2 values (in
 * arrival order; a late value older than the window does not count), one
 * value per parameter, one entry per active alert cause. Guarded by the caller (synchronized on this).
 *
 * <p>A patient's values are replaced every second or so, after the young generation has been collected a few times:
 * whatever a value refers to by then has been copied into the old generation, where it turns to garbage at the next
 * message and waits for a full collection. So each parameter keeps its latest value in fields of its own, overwritten
 * in place ({@link Latest}), and refers to none of the message's objects.
 */
final class PatientState {

    static final int SPO2_HISTORY = 64;

    /**
     * A parameter's latest value and the Observation it came from, in fields overwritten by the next value: the
     * number as its unscaled digits and scale, the time as epoch seconds and nanoseconds, the Observation's id as the
     * two halves of its UUID. A number of more than 18 digits, or an id that is no UUID, is kept as it came.
     */
    static final class Latest {
        private boolean hasValue;
        private long unscaled;
        private int scale;
        private BigDecimal wide;
        private String text;
        private long epochSecond;
        private int nano;
        private boolean hasId;
        private long idHigh;
        private long idLow;
        private String idText;

        private void set(BigDecimal value, String text, Instant time, String observationId) {
            hasValue = value != null;
            wide = null;
            if (value != null) {
                BigInteger digits = value.unscaledValue();
                if (digits.bitLength() < 64) {
                    unscaled = digits.longValue();
                    scale = value.scale();
                } else {
                    wide = value;
                }
            }
            this.text = text;
            epochSecond = time.getEpochSecond();
            nano = time.getNano();
            hasId = observationId != null;
            idText = observationId != null && !uuid(observationId) ? observationId : null;
        }

        /** Keeps a UUID written as Vigil writes its ids (lower case, 8-4-4-4-12) as its two halves: false if not one. */
        private boolean uuid(String text) {
            if (text.length() != 36) {
                return false;
            }
            long high = 0;
            long low = 0;
            int digits = 0;
            for (int i = 0; i < 36; i++) {
                char c = text.charAt(i);
                if (i == 8 || i == 13 || i == 18 || i == 23) {
                    if (c != '-') {
                        return false;
                    }
                    continue;
                }
                int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
                if (digit < 0) {
                    return false;
                }
                if (digits++ < 16) {
                    high = high << 4 | digit;
                } else {
                    low = low << 4 | digit;
                }
            }
            idHigh = high;
            idLow = low;
            return true;
        }

        BigDecimal value() {
            return !hasValue ? null : wide != null ? wide : BigDecimal.valueOf(unscaled, scale);
        }

        String text() {
            return text;
        }

        Instant time() {
            return Instant.ofEpochSecond(epochSecond, nano);
        }

        String observationId() {
            return !hasId ? null : idText != null ? idText : new UUID(idHigh, idLow).toString();
        }

        private boolean isAfter(long otherSecond, int otherNano) {
            return epochSecond > otherSecond || epochSecond == otherSecond && nano > otherNano;
        }
    }

    record ActiveAlert(int severity, Instant raisedAt, String flagId) {
    }

    private final Map<String, Latest> latest = new HashMap<>(8);
    /** SpO2 history as a ring of (epoch millis, value): 1 KiB a patient instead of 64 full records. */
    private final long[] spo2Times = new long[SPO2_HISTORY];
    private final double[] spo2Values = new double[SPO2_HISTORY];
    private int spo2Count;
    private int spo2Next;
    private final Map<String, ActiveAlert> activeAlerts = new HashMap<>();
    private News2Result lastNews2;
    /** When the state was last updated (System.currentTimeMillis()). */
    private volatile long touchedMillis = System.currentTimeMillis();

    /** Records a parameter's value measured at {@code measured}, unless the value kept was measured later. */
    void record(String parameter, BigDecimal value, String text, OffsetDateTime measured, String observationId) {
        Instant time = measured.toInstant();
        Latest current = latest.get(parameter);
        if (current == null) {
            current = new Latest();
            current.set(value, text, time, observationId);
            latest.put(parameter, current);
        } else if (!current.isAfter(time.getEpochSecond(), time.getNano())) {
            current.set(value, text, time, observationId);
        }
        if ("spo2".equals(parameter) && value != null) {
            spo2Times[spo2Next] = time.toEpochMilli();
            spo2Values[spo2Next] = value.doubleValue();
            spo2Next = (spo2Next + 1) % SPO2_HISTORY;
            spo2Count = Math.min(spo2Count + 1, SPO2_HISTORY);
        }
        touchedMillis = System.currentTimeMillis();
    }

    /**
     * The latest value of a parameter, if measured within {@code freshness} of the newest value of this patient. What
     * it returns is overwritten by the next {@link #record}: read it under the same lock.
     */
    Latest fresh(String parameter, Duration freshness) {
        Latest value = latest.get(parameter);
        if (value == null) {
            return null;
        }
        Latest newest = value;
        for (Latest other : latest.values()) {
            if (other.isAfter(newest.epochSecond, newest.nano)) {
                newest = other;
            }
        }
        return value.time().isBefore(newest.time().minus(freshness)) ? null : value;
    }

    /** Fall from the highest SpO2 within {@code window} before the latest SpO2 to that latest value. */
    Integer spo2Drop(Duration window) {
        if (spo2Count < 2) {
            return null;
        }
        int lastIndex = (spo2Next - 1 + SPO2_HISTORY) % SPO2_HISTORY;
        long lastTime = spo2Times[lastIndex];
        long from = lastTime - window.toMillis();
        double max = spo2Values[lastIndex];
        for (int i = 0; i < spo2Count; i++) {
            if (spo2Times[i] >= from && spo2Times[i] <= lastTime && spo2Values[i] > max) {
                max = spo2Values[i];
            }
        }
        return News2Rounding.whole(BigDecimal.valueOf(max - spo2Values[lastIndex]));
    }

    Map<String, ActiveAlert> activeAlerts() {
        return activeAlerts;
    }

    News2Result lastNews2() {
        return lastNews2;
    }

    void lastNews2(News2Result result) {
        this.lastNews2 = result;
    }

    /** When the state was last updated (System.currentTimeMillis()). */
    long touchedMillis() {
        return touchedMillis;
    }
}
