package io.vigil.delivery;

import io.vigil.broker.QueueDepths;
import io.vigil.config.VigilProperties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jmx.export.annotation.ManagedAttribute;
import org.springframework.jmx.export.annotation.ManagedResource;
import org.springframework.stereotype.Component;

/**
 * Flow control between processing and delivery. Messages are processed on many threads (the MLLP listener's, the
 * MQTT and observations consumers) and delivered to the EHR by one consumer, so that one patient's bundles reach it
 * in order; on a machine short of CPU the many can outrun the one, and bundles would wait longer and longer. When
 * more than {@code vigil.delivery.backlog-limit} bundles wait on the EHR's queue and the appliance is the reason,
 * processing waits for room: MLLP ACKs come later and monitors slow down; nothing is refused or lost.
 * <p>
 * The appliance is the reason only while its delivery consumer is at work (it delivered within the last second) and
 * the EHR is not what it waits for (no failed attempt within {@link #EHR_FAILURE_MEMORY}, and less than half its time
 * spent waiting for the EHR's answers). A slow, failing or absent EHR, or a delivery route an operator stopped, never
 * slows ingest: its bundles wait on disk.
 */
@Component
@ManagedResource(objectName = "io.vigil:type=DeliveryBacklog", description = "Processing held back while delivery is behind")
public class DeliveryBacklog {

    static final long EHR_FAILURE_MEMORY = TimeUnit.SECONDS.toNanos(60);
    private static final long CHECK_EVERY = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long PAUSE = TimeUnit.MILLISECONDS.toNanos(2);
    private static final long REPORT_EVERY = TimeUnit.MINUTES.toNanos(1);
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryBacklog.class);

    private final QueueDepths depths;
    private final EhrDelivery delivery;
    private final String queue;
    private final long limit;
    private final AtomicLong waits = new AtomicLong();
    private volatile long checkedAt = System.nanoTime() - CHECK_EVERY;
    private volatile boolean behind;
    private volatile long reportedAt = System.nanoTime() - REPORT_EVERY;

    public DeliveryBacklog(QueueDepths depths, EhrDelivery delivery, VigilProperties properties,
                           @Value("${vigil.delivery.backlog-limit:2000}") long limit) {
        this.depths = depths;
        this.delivery = delivery;
        this.queue = properties.queue().get("delivery");
        this.limit = limit;
    }

    /** Returns once there is room: at once unless the appliance's own delivery is behind. */
    public void awaitRoom() throws InterruptedException {
        if (!behind()) {
            return;
        }
        waits.incrementAndGet();
        do {
            LockSupport.parkNanos(PAUSE);
            if (Thread.interrupted()) {
                throw new InterruptedException("waiting for the delivery backlog to shrink");
            }
        } while (behind());
    }

    /** Whether bundles past the limit wait because of the appliance (checked at most every 10 ms). */
    boolean behind() {
        long now = System.nanoTime();
        if (now - checkedAt >= CHECK_EVERY) {
            checkedAt = now;
            long waiting = limit > 0 ? depths.of(queue) : 0;
            boolean was = behind;
            behind = waiting > limit && delivery.workingWithoutWaitingForTheEhr(now);
            if (behind && !was && now - reportedAt >= REPORT_EVERY) {
                reportedAt = now;
                LOG.warn("Processing held back: {} bundles wait on {} (vigil.delivery.backlog-limit {}) while the "
                        + "delivery consumer is at work and not waiting for the EHR; ACKs come later until it catches up "
                        + "({} messages held back since the start)", waiting, queue, limit, waits.get());
            }
        }
        return behind;
    }

    @ManagedAttribute(description = "Bundles waiting for the EHR past which processing waits, while the appliance is why")
    public long getLimit() {
        return limit;
    }

    @ManagedAttribute(description = "Whether processing waits now for the delivery backlog to shrink")
    public boolean isHoldingBack() {
        return behind;
    }

    @ManagedAttribute(description = "Messages that waited for the delivery backlog to shrink, since the start")
    public long getWaits() {
        return waits.get();
    }
}
