package io.vigil.rules;

import java.time.Duration;

/**
 * Settings of the clinical rules (vigil.rules.*).
 *
 * @param freshness a parameter older than this, relative to the patient's newest value, no longer counts
 * @param trendWindow window of trend rules (SpO2 fall)
 * @param quietInterval an alert of the same cause is not raised again within this unless it escalates
 * @param singleThreeBand band of a score whose only trigger is a 3 in one parameter
 * @param defaultSpo2Scale SpO2 scale for patients without context (1; scale 2 is a clinical decision)
 */
public record ClinicalSettings(Duration freshness, Duration trendWindow, Duration quietInterval,
                               News2Band singleThreeBand, int defaultSpo2Scale, int maxPatients, Duration idle) {
}
