package io.vigil.rules;

import java.time.Instant;

/**
 * What alarm-fatigue control made of an alert: raised (new, escalated, or again after the quiet interval),
 * suppressed (same cause, no escalation, within the interval) or resolved (the condition cleared).
 *
 * @param flagId identifies the alert episode (the FHIR Flag) from raise to resolution
 */
public record AlertOutcome(Alert alert, Kind kind, String flagId, Instant since) {

    public enum Kind { RAISED, SUPPRESSED, RESOLVED }
}
