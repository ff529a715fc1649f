package io.vigil.rules;

import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Clinical state per patient, bounded: at most {@code maxPatients} entries; patients not heard of for
 * {@code idle} are forgotten first, then the least recently updated.
 */
final class PatientStates {

    private final Map<String, PatientState> states = new ConcurrentHashMap<>();
    private final int maxPatients;
    private final Duration idle;

    PatientStates(int maxPatients, Duration idle) {
        this.maxPatients = maxPatients;
        this.idle = idle;
    }

    PatientState of(String patientKey) {
        PatientState state = states.computeIfAbsent(patientKey, k -> new PatientState());
        if (states.size() > maxPatients) {
            evict();
        }
        return state;
    }

    int size() {
        return states.size();
    }

    private synchronized void evict() {
        long cutoff = System.currentTimeMillis() - idle.toMillis();
        states.entrySet().removeIf(e -> e.getValue().touchedMillis() < cutoff);
        while (states.size() > maxPatients) {
            states.entrySet().stream().min(Comparator.comparingLong(e -> e.getValue().touchedMillis()))
                    .ifPresent(oldest -> states.remove(oldest.getKey()));
        }
    }
}
