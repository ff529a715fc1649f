package io.vigil.broker;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import jakarta.annotation.PreDestroy;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;
import org.springframework.jmx.export.annotation.ManagedAttribute;
import org.springframework.jmx.export.annotation.ManagedResource;
import org.springframework.stereotype.Component;

/**
 * Artemis logs every time it makes a sender to a full address wait (AMQ222183, WARN) and lets it go again
 * (AMQ221046, INFO): under a sustained overload, with flow control on vigil.observations, hundreds of lines a
 * minute. Vigil counts those waits instead of logging them, and says once a minute, while they go on, how many
 * there were and on which addresses (JMX io.vigil:type=FlowControl, metric vigil_flow_control_waits_total).
 */
@Component
@ManagedResource(objectName = "io.vigil:type=FlowControl", description = "Senders made to wait for room on a full address")
public class FlowControlLog extends TurboFilter {

    private static final Logger LOG = LoggerFactory.getLogger(FlowControlLog.class);
    private static final String BLOCKING = "AMQ222183";
    private static final String UNBLOCKING = "AMQ221046";
    private static final long REPORT_EVERY_MS = 60_000;

    private final AtomicLong waits = new AtomicLong();
    private final Set<String> addresses = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService reporter;
    private long waitsAtLastReport;
    private long lastReport;

    public FlowControlLog() {
        setName("vigil-flow-control");
        ((LoggerContext) LoggerFactory.getILoggerFactory()).addTurboFilter(this);
        start();
        reporter = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "vigil-flow-control");
            thread.setDaemon(true);
            return thread;
        });
        reporter.scheduleWithFixedDelay(() -> report(System.currentTimeMillis()), 5, 5, TimeUnit.SECONDS);
    }

    @Override
    public FilterReply decide(Marker marker, ch.qos.logback.classic.Logger logger, Level level, String format,
                              Object[] params, Throwable t) {
        if (format == null || !format.startsWith("AMQ22")) {
            return FilterReply.NEUTRAL;
        }
        if (format.startsWith(BLOCKING)) {
            waits.incrementAndGet();
            if (params != null && params.length > 0 && params[0] != null) {
                addresses.add(params[0].toString());
            }
            return FilterReply.DENY;
        }
        return format.startsWith(UNBLOCKING) ? FilterReply.DENY : FilterReply.NEUTRAL;
    }

    /** Logs the waits since the last report, at most once a minute; true when it logged. */
    synchronized boolean report(long now) {
        long total = waits.get();
        if (total == waitsAtLastReport || now - lastReport < REPORT_EVERY_MS) {
            return false;
        }
        Set<String> names = new TreeSet<>(addresses);
        addresses.clear();
        LOG.warn("Flow control: senders to {} waited for room {} time(s) since {}: processing is behind ingest, and "
                        + "devices get their ACKs later (limit vigil.artemis.processing-backlog-bytes; see docs/reliability.md)",
                names, total - waitsAtLastReport, lastReport == 0 ? "the start" : "the last report");
        waitsAtLastReport = total;
        lastReport = now;
        return true;
    }

    @ManagedAttribute(description = "Times a sender was made to wait for room on a full address since the start")
    public long getWaits() {
        return waits.get();
    }

    @PreDestroy
    void close() {
        reporter.shutdownNow();
        ((LoggerContext) LoggerFactory.getILoggerFactory()).getTurboFilterList().remove(this);
        stop();
    }
}
