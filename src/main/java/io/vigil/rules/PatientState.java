package io.vigil.rules;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * What the clinical rules remember of one patient: the latest value of each parameter, a short SpO2 history
 * for trends, the last NEWS2 and the active alerts. Bounded: at most {@link #SPO2_HISTORY} SpO2 values, one
 * value per parameter, one entry per active alert cause. Guarded by the caller (synchronized on this).
 */
final class PatientState {

    static final int SPO2_HISTORY = 64;

    /** A parameter's latest value and the Observation it came from. */
    record Latest(BigDecimal value, String text, OffsetDateTime time, String observationId) {
    }

    record ActiveAlert(int severity, Instant raisedAt, String flagId) {
    }

    private final Map<String, Latest> latest = new HashMap<>();
    private final Deque<Latest> spo2History = new ArrayDeque<>();
    private final Map<String, ActiveAlert> activeAlerts = new HashMap<>();
    private News2Result lastNews2;
    private volatile Instant touched = Instant.now();

    void record(String parameter, Latest value) {
        Latest current = latest.get(parameter);
        if (current == null || !value.time().isBefore(current.time())) {
            latest.put(parameter, value);
        }
        if ("spo2".equals(parameter) && value.value() != null) {
            spo2History.addLast(value);
            while (spo2History.size() > SPO2_HISTORY) {
                spo2History.removeFirst();
            }
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
        if (spo2History.size() < 2) {
            return null;
        }
        Latest last = spo2History.peekLast();
        OffsetDateTime from = last.time().minus(window);
        BigDecimal max = last.value();
        for (Latest v : spo2History) {
            if (!v.time().isBefore(from) && !v.time().isAfter(last.time()) && v.value().compareTo(max) > 0) {
                max = v.value();
            }
        }
        return News2Rounding.whole(max.subtract(last.value()));
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
