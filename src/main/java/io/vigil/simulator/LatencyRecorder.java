package io.vigil.simulator;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Latencies in logarithmic buckets (about 2 % wide) from 1 microsecond to about 100 seconds: percentiles without
 * keeping every sample, safe to record from many threads.
 */
final class LatencyRecorder {

    private static final double GROWTH = 1.02;
    private static final int BUCKETS = 940;
    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);

    void record(long nanos) {
        double micros = Math.max(1.0, nanos / 1000.0);
        int bucket = (int) Math.min(BUCKETS - 1, Math.floor(Math.log(micros) / Math.log(GROWTH)));
        counts.incrementAndGet(bucket);
    }

    long count() {
        long n = 0;
        for (int i = 0; i < BUCKETS; i++) {
            n += counts.get(i);
        }
        return n;
    }

    /** The latency in milliseconds below which {@code fraction} of the samples lie (upper bucket edge). */
    double percentileMillis(double fraction) {
        long total = count();
        if (total == 0) {
            return 0;
        }
        long target = (long) Math.ceil(total * fraction);
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts.get(i);
            if (seen >= target) {
                return Math.pow(GROWTH, i + 1) / 1000.0;
            }
        }
        return Math.pow(GROWTH, BUCKETS) / 1000.0;
    }
}
