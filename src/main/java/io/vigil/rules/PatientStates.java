package io.vigil.rules;

import java.time.Duration;
import java.time.Instant;
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
        Instant cutoff = Instant.now().minus(idle);
        states.entrySet().removeIf(e -> e.getValue().touched().isBefore(cutoff));
        while (states.size() > maxPatients) {
            states.entrySet().stream().min(Comparator.comparing(e -> e.getValue().touched()))
                    .ifPresent(oldest -> states.remove(oldest.getKey()));
        }
    }
}
