package io.vigil.delivery;

import io.vigil.config.VigilProperties;
import io.vigil.governance.AuditTrail;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.activemq.artemis.api.core.management.QueueControl;
import org.apache.activemq.artemis.api.core.management.ResourceNames;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jmx.export.annotation.ManagedAttribute;
import org.springframework.jmx.export.annotation.ManagedOperation;
import org.springframework.jmx.export.annotation.ManagedResource;
import org.springframework.stereotype.Component;

/**
 * Retention of stored messages that wait for an operator (quarantines, held, dead letters): they hold patient
 * data, so those older than vigil.retention.max-age are purged every check-interval, and every purge that removes
 * something is an AuditEvent.
 */
@Component
@ManagedResource(objectName = "io.vigil:type=Retention", description = "Retention of waiting messages")
public class Retention implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(Retention.class);

    private final EmbeddedActiveMQ broker;
    private final AuditTrail audit;
    private final Duration maxAge;
    private final Duration interval;
    private final List<String> queues = new ArrayList<>();
    private ScheduledExecutorService scheduler;
    private volatile long purgedSinceStart;

    public Retention(EmbeddedActiveMQ broker, AuditTrail audit, VigilProperties properties, Destinations destinations) {
        this.broker = broker;
        this.audit = audit;
        VigilProperties.Retention r = properties.retention();
        this.maxAge = r == null || r.maxAge() == null ? Duration.ZERO : r.maxAge();
        this.interval = r == null || r.checkInterval() == null ? Duration.ofHours(1) : r.checkInterval();
        Map<String, String> q = properties.queue();
        for (String role : List.of("quarantine", "mapping-quarantine", "hold", "delivery-dead-letter",
                "research-dead-letter", "processing-dead-letter")) {
            queues.add(q.get(role));
        }
        destinations.all().forEach(d -> queues.add(d.deadLetterQueue()));
    }

    /** Purges what is older than the retention; returns the count per queue that had any. */
    @ManagedOperation(description = "Purge waiting messages older than vigil.retention.max-age now")
    public Map<String, Long> purge() throws Exception {
        Map<String, Long> purged = new LinkedHashMap<>();
        if (maxAge.isZero() || maxAge.isNegative()) {
            return purged;
        }
        Instant cutOff = Instant.now().minus(maxAge);
        for (String queue : queues) {
            QueueControl control = (QueueControl) broker.getActiveMQServer().getManagementService()
                    .getResource(ResourceNames.QUEUE + queue);
            if (control == null) {
                continue;
            }
            long count = control.removeMessages("AMQTimestamp < " + cutOff.toEpochMilli());
            if (count > 0) {
                purged.put(queue, count);
                purgedSinceStart += count;
                audit.purged(queue, count, cutOff);
                LOG.info("Retention: purged {} message(s) stored before {} from {}", count, cutOff, queue);
            }
        }
        return purged;
    }

    @ManagedAttribute(description = "Messages purged by the retention policy since start")
    public long getPurgedSinceStart() {
        return purgedSinceStart;
    }

    @ManagedAttribute(description = "Waiting messages older than this are purged (0: kept for ever)")
    public String getMaxAge() {
        return maxAge.toString();
    }

    @Override
    public void start() {
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "vigil-retention");
            t.setDaemon(true);
            return t;
        });
        if (!maxAge.isZero()) {
            scheduler.scheduleWithFixedDelay(() -> {
                try {
                    purge();
                } catch (Exception e) {
                    LOG.error("Retention purge failed: {}", e.toString());
                }
            }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }

    @Override
    public boolean isRunning() {
        return scheduler != null;
    }
}
