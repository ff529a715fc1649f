package io.vigil.simulator;

import java.util.ArrayDeque;

/**
 * How busy the appliance's JIT compiler is, from its accumulated compilation time (jvm_compilation_time_ms_total)
 * read at intervals: the share of wall time spent compiling (1.0 = one compiler thread busy all the time). While it
 * is high the appliance runs partly interpreted and slower than it will once warm; how long that lasts depends on
 * the machine (about 1 minute at 5,000 messages a second on a quiet 2-core machine, 3 to 4 minutes on a slow one).
 * An auto warm-up ends once the share over the last {@link #WINDOW_NANOS} is below {@link #SETTLED_SHARE}.
 */
final class JitWarmup {

    static final double SETTLED_SHARE = 0.10;
    static final long WINDOW_NANOS = 30_000_000_000L;

    private record Sample(long nanos, double compileMillis) {
    }

    private final ArrayDeque<Sample> samples = new ArrayDeque<>();
    private Sample first;

    /** Adds a reading (compileMillis below 0: the appliance does not publish it; ignored). */
    void add(long nanos, double compileMillis) {
        if (compileMillis < 0) {
            return;
        }
        Sample s = new Sample(nanos, compileMillis);
        if (first == null) {
            first = s;
        }
        samples.addLast(s);
        // keep one reading at or before the window's start, so that the readings span the whole window
        while (samples.size() > 2 && secondOldest().nanos() <= nanos - WINDOW_NANOS) {
            samples.removeFirst();
        }
    }

    private Sample secondOldest() {
        java.util.Iterator<Sample> it = samples.iterator();
        it.next();
        return it.next();
    }

    /** Share of the wall time spent compiling since the previous reading, or -1 before two readings. */
    double latestShare() {
        if (samples.size() < 2) {
            return -1;
        }
        java.util.Iterator<Sample> newestFirst = samples.descendingIterator();
        Sample last = newestFirst.next();
        return share(newestFirst.next(), last);
    }

    /** Share of the wall time spent compiling since the first reading, or -1 before two readings. */
    double shareSinceFirst() {
        return first == null || samples.isEmpty() || samples.peekLast() == first ? -1 : share(first, samples.peekLast());
    }

    /** True once the readings span the window and the compiler was busy less than the settled share over it. */
    boolean settled() {
        if (samples.size() < 2) {
            return false;
        }
        Sample oldest = samples.peekFirst();
        Sample last = samples.peekLast();
        return last.nanos() - oldest.nanos() >= WINDOW_NANOS && share(oldest, last) < SETTLED_SHARE;
    }

    /** Forgets the readings (the measured period starts). */
    void restart() {
        samples.clear();
        first = null;
    }

    private static double share(Sample from, Sample to) {
        long wallNanos = to.nanos() - from.nanos();
        return wallNanos <= 0 ? 0 : (to.compileMillis() - from.compileMillis()) * 1_000_000.0 / wallNanos;
    }
}
