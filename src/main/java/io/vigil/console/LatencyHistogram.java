package io.vigil.console;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Latencies in logarithmic buckets (2 % wide) from 1 microsecond to about 100 seconds: percentiles without keeping
 * every sample, safe to record from many threads. Reported values are the upper edge of their bucket.
 */
public final class LatencyHistogram {

    private static final double GROWTH = 1.02;
    private static final double LOG_GROWTH = Math.log(GROWTH);
    private static final int BUCKETS = 940;
    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);

    public void record(long nanos) {
        double micros = Math.max(1.0, nanos / 1000.0);
        int bucket = (int) Math.min(BUCKETS - 1, Math.floor(Math.log(micros) / LOG_GROWTH));
        counts.incrementAndGet(bucket);
    }

    public long count() {
        long n = 0;
        for (int i = 0; i < BUCKETS; i++) {
            n += counts.get(i);
        }
        return n;
    }

    public void reset() {
        for (int i = 0; i < BUCKETS; i++) {
            counts.set(i, 0);
        }
    }

    /** The latency in milliseconds below which {@code fraction} of the samples lie; 0 without samples. */
    public double percentileMillis(double fraction) {
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
