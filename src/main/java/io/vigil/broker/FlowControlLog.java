package io.vigil.broker;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
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
import org.springframework.jmx.export.annotation.ManagedAttribute;
import org.springframework.jmx.export.annotation.ManagedResource;
import org.springframework.stereotype.Component;

/**
 * Artemis logs every time it makes a sender to a full address wait (AMQ222183, WARN) and lets it go again
 * (AMQ221046, INFO): under a sustained overload, with flow control on vigil.observations, hundreds of lines a
 * minute. Vigil counts those waits instead of logging them, and says once a minute, while they go on, how many
 * there were and on which addresses (JMX io.vigil:type=FlowControl, metric vigil_flow_control_waits_total).
 * <p>
 * It sits as the only appender of Artemis's server logger and hands every other line on to the root logger's
 * appenders. (A Logback turbo filter would see the same lines, but it is also asked about every isTraceEnabled()
 * check of every logger in the appliance: about 3 % of the CPU under load.)
 */
@Component
@ManagedResource(objectName = "io.vigil:type=FlowControl", description = "Senders made to wait for room on a full address")
public class FlowControlLog extends AppenderBase<ILoggingEvent> {

    private static final Logger LOG = LoggerFactory.getLogger(FlowControlLog.class);
    private static final String BLOCKING = "AMQ222183";
    private static final String UNBLOCKING = "AMQ221046";
    /** Where Artemis 2.44 logs both (ActiveMQServerLogger). */
    static final String ARTEMIS_SERVER_LOGGER = "org.apache.activemq.artemis.core.server";
    private static final long REPORT_EVERY_MS = 60_000;

    private final AtomicLong waits = new AtomicLong();
    private final Set<String> addresses = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService reporter;
    private final ch.qos.logback.classic.Logger server;
    private final ch.qos.logback.classic.Logger root;
    private long waitsAtLastReport;
    private long lastReport;

    public FlowControlLog() {
        setName("vigil-flow-control");
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        setContext(context);
        root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        server = context.getLogger(ARTEMIS_SERVER_LOGGER);
        start();
        server.addAppender(this);
        server.setAdditive(false);
        reporter = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "vigil-flow-control");
            thread.setDaemon(true);
            return thread;
        });
        reporter.scheduleWithFixedDelay(() -> report(System.currentTimeMillis()), 5, 5, TimeUnit.SECONDS);
    }

    @Override
    protected void append(ILoggingEvent event) {
        String format = event.getMessage();
        if (format != null && format.startsWith(BLOCKING)) {
            waits.incrementAndGet();
            Object[] params = event.getArgumentArray();
            if (params != null && params.length > 0 && params[0] != null) {
                addresses.add(params[0].toString());
            }
        } else if (format == null || !format.startsWith(UNBLOCKING)) {
            root.callAppenders(event);
        }
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
        server.detachAppender(this);
        if (!server.iteratorForAppenders().hasNext()) {
            server.setAdditive(true);
        }
        stop();
    }
}
