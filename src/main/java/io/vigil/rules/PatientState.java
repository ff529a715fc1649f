package io.vigil.rules;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;

/**
 * What the clinical rules remember of one patient: the latest value of each parameter, a short SpO2 history
 * for trends, the last NEWS2 and the active alerts. Bounded: at most {@link #SPO2_HISTORY} SpO2 values (in
 * arrival order; a late value older than the window does not count), one
 * value per parameter, one entry per active alert cause. Guarded by the caller (synchronized on this).
 */
final class PatientState {

    static final int SPO2_HISTORY = 64;

    /** A parameter's latest value and the Observation it came from. */
    record Latest(BigDecimal value, String text, OffsetDateTime time, String observationId) {
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
    private volatile Instant touched = Instant.now();

    void record(String parameter, Latest value) {
        Latest current = latest.get(parameter);
        if (current == null || !value.time().isBefore(current.time())) {
            latest.put(parameter, value);
        }
        if ("spo2".equals(parameter) && value.value() != null) {
            spo2Times[spo2Next] = value.time().toInstant().toEpochMilli();
            spo2Values[spo2Next] = value.value().doubleValue();
            spo2Next = (spo2Next + 1) % SPO2_HISTORY;
            spo2Count = Math.min(spo2Count + 1, SPO2_HISTORY);
        }
        touched = Instant.now();
    }

    /** The latest value of a parameter, if measured within {@code freshness} of the newest value of this patient. */
    Latest fresh(String parameter, Duration freshness) {
        Latest value = latest.get(parameter);
        if (value == null) {
            return null;
        }
        OffsetDateTime newest = latest.values().stream().map(Latest::time).max(OffsetDateTime::compareTo).orElse(value.time());
        return value.time().isBefore(newest.minus(freshness)) ? null : value;
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

    Instant touched() {
        return touched;
    }
}
