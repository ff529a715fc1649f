package io.vigil.ingest;

import jakarta.annotation.PreDestroy;
import java.net.Socket;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.component.mllp.MllpTcpServerConsumer;
import org.apache.camel.component.mllp.internal.TcpSocketConsumerRunnable;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jmx.export.annotation.ManagedAttribute;
import org.springframework.jmx.export.annotation.ManagedResource;
import org.springframework.stereotype.Component;

/**
 * Connections over vigil.mllp.max-connections are refused by camel-mllp, which then keeps each refused connection
 * in its table of connections for good (about 2.5 KB each): a sender that reconnects in a loop would fill the heap.
 * Every second Vigil removes from that table the connections that are closed and were never served, counts them,
 * and says so in the log at most once a minute.
 */
@Component
@ManagedResource(objectName = "io.vigil:type=MllpConnections", description = "MLLP connections open and refused")
public class MllpConnections implements CamelContextConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(MllpConnections.class);
    /** A served connection whose socket is closed leaves the table within milliseconds; a refused one never does. */
    private static final long REFUSED_AFTER_MS = 2000;
    private static final long WARN_EVERY_MS = 60_000;

    private final AtomicLong refused = new AtomicLong();
    private volatile List<MllpTcpServerConsumer> consumers = List.of();
    private ScheduledExecutorService sweeper;
    private long refusedAtLastWarning;
    private long lastWarning;

    @Override
    public void beforeApplicationStart(CamelContext camelContext) {
        // the MLLP consumers exist once the routes have started
    }

    @Override
    public void afterApplicationStart(CamelContext camelContext) {
        consumers = camelContext.getRoutes().stream().map(Route::getConsumer)
                .filter(MllpTcpServerConsumer.class::isInstance).map(MllpTcpServerConsumer.class::cast).toList();
        if (consumers.isEmpty()) {
            return;
        }
        sweeper = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "vigil-mllp-connections");
            thread.setDaemon(true);
            return thread;
        });
        sweeper.scheduleWithFixedDelay(() -> sweep(System.currentTimeMillis()), 1, 1, TimeUnit.SECONDS);
    }

    /** Removes the refused connections from each MLLP listener's table; returns how many it removed. */
    int sweep(long now) {
        int removed = 0;
        for (MllpTcpServerConsumer consumer : consumers) {
            int removedHere = 0;
            Iterator<Map.Entry<TcpSocketConsumerRunnable, Long>> entries = consumer.getConsumerRunnables().entrySet().iterator();
            while (entries.hasNext()) {
                Map.Entry<TcpSocketConsumerRunnable, Long> entry = entries.next();
                Socket socket = entry.getKey().getSocket();
                if ((socket == null || socket.isClosed()) && now - entry.getValue() >= REFUSED_AFTER_MS) {
                    entries.remove();
                    removedHere++;
                }
            }
            removed += removedHere;
            refused.addAndGet(removedHere);
            warnAtMostOnceAMinute(consumer, now);
        }
        return removed;
    }

    private void warnAtMostOnceAMinute(MllpTcpServerConsumer consumer, long now) {
        long total = refused.get();
        if (total > refusedAtLastWarning && now - lastWarning >= WARN_EVERY_MS) {
            LOG.warn("{} MLLP connection(s) refused on port {} since {}: all {} connections of vigil.mllp.max-connections "
                            + "were in use (raise it, or look for a sender that reconnects in a loop)",
                    total - refusedAtLastWarning, consumer.getEndpoint().getPort(),
                    lastWarning == 0 ? "the start" : "the last warning",
                    consumer.getConfiguration().getMaxConcurrentConsumers());
            refusedAtLastWarning = total;
            lastWarning = now;
        }
    }

    @PreDestroy
    void stop() {
        if (sweeper != null) {
            sweeper.shutdownNow();
        }
    }

    @ManagedAttribute(description = "MLLP connections refused because all vigil.mllp.max-connections were in use")
    public long getRefused() {
        return refused.get();
    }

    @ManagedAttribute(description = "MLLP connections open now")
    public long getOpen() {
        return consumers.stream().flatMap(c -> c.getConsumerRunnables().keySet().stream())
                .filter(r -> r.getSocket() != null && !r.getSocket().isClosed()).count();
    }
}
