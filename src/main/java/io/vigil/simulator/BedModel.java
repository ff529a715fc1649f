package io.vigil.simulator;

import java.time.Duration;
import java.util.Random;

/**
 * The vital signs of one simulated patient over time: a stable patient varies around a healthy baseline; a
 * deteriorating one drifts over {@code course} towards sepsis-like values (fast heart and breathing, falling
 * SpO2 and blood pressure, fever), the pattern early-warning scores are meant to catch.
 */
final class BedModel {

    private static final Vitals STABLE = new Vitals(76, 97, 15, 124, 78, 36.9);
    private static final Vitals DETERIORATED = new Vitals(128, 88, 28, 88, 52, 38.9);

    private final boolean deteriorating;
    private final Duration course;
    private final Random noise;
    private final int offset;

    BedModel(int bed, boolean deteriorating, Duration course) {
        this.deteriorating = deteriorating;
        this.course = course;
        this.noise = new Random(bed * 7919L);
        this.offset = bed % 7 - 3;
    }

    boolean deteriorating() {
        return deteriorating;
    }

    Vitals at(Duration elapsed) {
        double p = deteriorating ? Math.min(1.0, (double) elapsed.toMillis() / course.toMillis()) : 0.0;
        return new Vitals(
                clamp(lerp(STABLE.heartRate() + offset, DETERIORATED.heartRate(), p) + jitter(2), 30, 220),
                clamp(lerp(STABLE.spo2(), DETERIORATED.spo2(), p) + jitter(1), 70, 100),
                clamp(lerp(STABLE.respiratoryRate(), DETERIORATED.respiratoryRate(), p) + jitter(1), 4, 60),
                clamp(lerp(STABLE.systolic() + offset, DETERIORATED.systolic(), p) + jitter(3), 50, 240),
                clamp(lerp(STABLE.diastolic(), DETERIORATED.diastolic(), p) + jitter(2), 30, 140),
                Math.round((STABLE.temperature() + (DETERIORATED.temperature() - STABLE.temperature()) * p
                        + noise.nextGaussian() * 0.05) * 10) / 10.0);
    }

    private static double lerp(double from, double to, double p) {
        return from + (to - from) * p;
    }

    private int jitter(int spread) {
        return (int) Math.round(noise.nextGaussian() * spread / 2.0);
    }

    private static int clamp(double v, int low, int high) {
        return (int) Math.max(low, Math.min(high, Math.round(v)));
    }
}
