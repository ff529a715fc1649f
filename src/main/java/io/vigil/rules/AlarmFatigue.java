package io.vigil.rules;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * An alert for the same patient and cause is not raised again within {@code quietInterval} unless its severity
 * rises; an active alert whose condition is gone is resolved. Counts every outcome by cause.
 */
final class AlarmFatigue {

    private final Duration quietInterval;
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    AlarmFatigue(Duration quietInterval) {
        this.quietInterval = quietInterval;
    }

    /** Call with the patient's state locked. */
    List<AlertOutcome> apply(String patientKey, PatientState state, List<Alert> alerts, Instant now) {
        Map<String, PatientState.ActiveAlert> active = state.activeAlerts();
        List<AlertOutcome> outcomes = new ArrayList<>();
        Set<String> present = new HashSet<>();
        for (Alert alert : strongestPerCause(alerts)) {
            present.add(alert.cause());
            PatientState.ActiveAlert current = active.get(alert.cause());
            boolean raise = current == null || alert.severity() > current.severity()
                    || !now.isBefore(current.raisedAt().plus(quietInterval));
            if (raise) {
                String flagId = current != null ? current.flagId() : episodeId(patientKey, alert.cause(), now);
                active.put(alert.cause(), new PatientState.ActiveAlert(alert.severity(), now, flagId));
                outcomes.add(count(new AlertOutcome(alert, AlertOutcome.Kind.RAISED, flagId, now)));
            } else {
                outcomes.add(count(new AlertOutcome(alert, AlertOutcome.Kind.SUPPRESSED, current.flagId(), current.raisedAt())));
            }
        }
        for (var it = active.entrySet().iterator(); it.hasNext(); ) {
            var entry = it.next();
            if (!present.contains(entry.getKey())) {
                it.remove();
                Alert cleared = new Alert(entry.getKey(), entry.getValue().severity(), "condition cleared",
                        entry.getKey() + " resolved");
                outcomes.add(count(new AlertOutcome(cleared, AlertOutcome.Kind.RESOLVED, entry.getValue().flagId(),
                        entry.getValue().raisedAt())));
            }
        }
        return outcomes;
    }

    Map<String, Long> counts() {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    private AlertOutcome count(AlertOutcome outcome) {
        counts.computeIfAbsent(outcome.alert().cause() + " " + outcome.kind().name().toLowerCase(), k -> new LongAdder()).increment();
        return outcome;
    }

    private static List<Alert> strongestPerCause(List<Alert> alerts) {
        Map<String, Alert> strongest = new TreeMap<>();
        for (Alert a : alerts) {
            strongest.merge(a.cause(), a, (x, y) -> y.severity() > x.severity() ? y : x);
        }
        return List.copyOf(strongest.values());
    }

    private static String episodeId(String patientKey, String cause, Instant start) {
        return io.vigil.ingest.Hashes.nameUuid(patientKey + "|" + cause + "|" + start);
    }
}
