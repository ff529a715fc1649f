package io.vigil.simulator;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the load tool's connections were due to send and what they sent: each connection sends a round (one message
 * per bed) every interval from its start, and a round that starts late is sent at once. What is due and not sent yet
 * tells whether the appliance kept up with the offered load (then the rate measured is that load, plus what the
 * connections caught up on) or fell behind (then it is the most the appliance carried).
 */
final class LoadSchedule {

    /** One connection's (or MQTT client's) rounds. */
    static final class Connection {
        private final int beds;
        private final long intervalNanos;
        private final long startNanos;
        private final AtomicLong sent = new AtomicLong();

        Connection(int beds, long intervalNanos, long startNanos) {
            this.beds = beds;
            this.intervalNanos = intervalNanos;
            this.startNanos = startNanos;
        }

        /** A message of this connection was sent (whether it was then answered or not). */
        void sent() {
            sent.incrementAndGet();
        }

        /** Messages due by {@code now}: every bed's message of each round started by then. */
        long due(long now) {
            return now < startNanos ? 0 : beds * ((now - startNanos) / intervalNanos + 1);
        }

        long behind(long now) {
            return Math.max(0, due(now) - sent.get());
        }
    }

    private final List<Connection> connections = new CopyOnWriteArrayList<>();

    Connection add(int beds, long intervalNanos, long startNanos) {
        Connection connection = new Connection(beds, intervalNanos, startNanos);
        connections.add(connection);
        return connection;
    }

    /** Messages due by {@code now} and not sent yet, over every connection. */
    long behind(long now) {
        long behind = 0;
        for (Connection c : connections) {
            behind += c.behind(now);
        }
        return behind;
    }

    /**
     * The verdict printed under the summary: whether the appliance kept up with the {@code offeredPerSecond} messages
     * offered a second, from what was due and not sent when the measurement began and when it ended. Up to one round
     * of every bed ({@code perRound}, what the connections send back to back each interval) waiting counts as none.
     */
    static String verdict(double offeredPerSecond, long perRound, long behindAtStart, long behindAtEnd) {
        String offered = String.format(Locale.ROOT, "offered %,.0f messages a second; due and not yet sent: %,d when "
                + "measuring began, %,d when it ended", offeredPerSecond, behindAtStart, behindAtEnd);
        if (behindAtEnd <= perRound) {
            return offered + ": the appliance kept up" + (behindAtStart > perRound
                    ? " (the rate measured includes what the connections caught up on from the warm-up)" : "");
        }
        if (behindAtStart - behindAtEnd > perRound) {
            return offered + String.format(Locale.ROOT, ": the appliance carried more than the offered rate, catching up "
                    + "on the backlog left from the warm-up (%.1f s of load still waiting), so the rate measured is the "
                    + "most it carried", behindAtEnd / offeredPerSecond);
        }
        if (behindAtEnd - behindAtStart <= perRound) {
            return offered + String.format(Locale.ROOT, ": the appliance carried the offered rate but not the backlog "
                    + "(%.1f s of load, left from the warm-up), so the rate measured is the most it carried",
                    behindAtEnd / offeredPerSecond);
        }
        return offered + String.format(Locale.ROOT, " (%.1f s of load): the appliance fell behind, and the rate measured "
                + "is the most it carried", behindAtEnd / offeredPerSecond);
    }
}
