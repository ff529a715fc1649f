package io.vigil.delivery;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vigil.config.VigilProperties;
import io.vigil.console.Latencies;
import io.vigil.fhir.FhirProcessing;
import io.vigil.governance.AuditTrail;
import io.vigil.ingest.IngestHeaders;
import jakarta.annotation.PostConstruct;
import jakarta.jms.JMSException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.jms.JmsMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jmx.export.annotation.ManagedAttribute;
import org.springframework.jmx.export.annotation.ManagedResource;
import org.springframework.stereotype.Component;

/**
 * The step of route deliver-ehr: POSTs a transaction Bundle to the EHR's FHIR base URL, or, with no EHR
 * configured, writes it to the local outbox. Failures are thrown for the route's retry and dead-letter handling.
 */
@Component("ehrDelivery")
@ManagedResource(objectName = "io.vigil:type=Delivery,name=ehr", description = "FHIR delivery to the EHR")
public class EhrDelivery {

    private static final Logger LOG = LoggerFactory.getLogger(EhrDelivery.class);

    private final VigilProperties.Ehr ehr;
    private final Outbox outbox;
    private final AuditTrail audit;
    private final Timer requestTimer;
    private final FhirPoster poster;
    private final boolean countOnly;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong failedAttempts = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong transactions = new AtomicLong();
    /** For DeliveryBacklog: time spent waiting for the EHR's answers, the last failure, the last delivery. */
    private final AtomicLong ehrWaitNanos = new AtomicLong();
    private volatile long lastFailureAt = System.nanoTime() - 2 * DeliveryBacklog.EHR_FAILURE_MEMORY;
    private volatile long lastDeliveredAt = System.nanoTime() - 2 * DeliveryBacklog.EHR_FAILURE_MEMORY;
    private long windowStart = System.nanoTime();
    private long windowWaitStart;
    private boolean mostlyWaitingForTheEhr = true;
    private ProducerTemplate producer;
    /** Threads of the fast sink's checks (vigil.outbox.mode=count only). */
    static final int FAST_SINK_THREADS = 2;
    private ForkJoinPool fastSinkPool;
    private final Latencies latencies;
    private final String queue;
    private final TransactionLimit limit;
    private final long batchWindowMillis;

    public EhrDelivery(VigilProperties properties, Outbox outbox, AuditTrail audit, MeterRegistry registry,
                       Latencies latencies) {
        this.latencies = latencies;
        this.queue = properties.queue().get("delivery");
        VigilProperties.Batch batch = properties.ehr().batch();
        this.limit = new TransactionLimit(batch == null ? 1 : batch.maxBundles());
        this.batchWindowMillis = batch == null || batch.window() == null ? 0 : batch.window().toMillis();
        this.requestTimer = Timer.builder("vigil.delivery.request").tag("destination", "ehr")
                .description("Time of one delivery attempt to the EHR").publishPercentiles(0.5, 0.99).register(registry);
        this.ehr = properties.ehr();
        this.outbox = outbox;
        this.audit = audit;
        this.poster = ehr.configured() ? new FhirPoster(ehr.baseUrl(), ehr.timeout(), ehr.bearerToken()) : null;
        this.countOnly = properties.outbox().countOnly();
    }

    @PostConstruct
    void announceDestination() {
        if (ehr.configured()) {
            LOG.info("Delivering FHIR bundles to the EHR at {}{}", ehr.baseUrl(), limit.most() <= 1 ? ""
                    : " (up to " + limit.most() + " bundles within " + batchWindowMillis + " ms per transaction, merged per patient)");
        } else if (countOnly) {
            LOG.warn("No EHR configured and vigil.outbox.mode=count: FHIR bundles are checked and counted, not kept "
                    + "(a fast sink for load tests)");
        } else {
            LOG.warn("No EHR configured: FHIR bundles go to the local outbox {} (listed at /api/outbox). "
                    + "Set vigil.ehr.base-url (environment VIGIL_EHR_BASE_URL) to an EHR's FHIR R4 base URL to deliver there.",
                    outbox.directory().toAbsolutePath());
        }
    }

    public void deliver(Exchange exchange) throws JMSException {
        DeliveryBatch batch = exchange.getProperty(DeliveryBatch.PROPERTY, DeliveryBatch.class);
        if (batch == null) {
            batch = take(exchange, DeliveryBatch.bundleBytes(exchange.getIn()));
            exchange.setProperty(DeliveryBatch.PROPERTY, batch);
            transactions.incrementAndGet();
            if (batch.members.size() > 1) {
                exchange.setProperty(DeliveryBatch.OTHERS, batch.others(exchange.getContext()));
                batches.incrementAndGet();
            }
        }
        if (!ehr.configured()) {
            if (countOnly) {
                checkAll(batch.members);
            }
            for (DeliveryBatch.Member m : batch.members) {
                latencies.handed(deviceTime(m));
                if (!countOnly) {
                    outbox.store((String) m.headers().get(IngestHeaders.CONTROL_ID), m.bundle());
                }
                delivered.incrementAndGet();
                latencies.delivered(deviceTime(m), m.headers().get(IngestHeaders.OBSERVATION_COUNT));
            }
            lastDeliveredAt = System.nanoTime();
            return;
        }
        boolean whole = true; // every group delivered in this attempt, none on an earlier one
        for (int i = 0; i < batch.groups.size(); i++) {
            DeliveryBatch.Group group = batch.groups.get(i);
            if (group.delivered) {
                whole = false;
                continue; // delivered on an earlier attempt of this batch
            }
            group.members.forEach(m -> latencies.handed(deviceTime(m)));
            try {
                post(group.bundle());
                group.members.forEach(this::delivered);
            } catch (EhrUnavailableException slow) {
                if (slow.tooSlow() && group.members.size() > 1) {
                    tooSlow(batch, i, slow);
                }
                throw slow;
            } catch (EhrRejectedException refused) {
                if (group.members.size() == 1) {
                    throw refused;
                }
                // the EHR refused the merged transaction: one bundle at a time, so that only what it refuses waits
                // on the dead-letter queue (sent in this same JMS transaction) and the rest is charted
                for (DeliveryBatch.Member m : group.members) {
                    try {
                        post(m.bundle());
                        delivered(m);
                    } catch (EhrRejectedException alone) {
                        // the dead-letter queue the route named (exchange property, as for its own error handling)
                        String deadLetters = exchange.getProperty("vigilDeadLetterQueue", String.class);
                        Map<String, Object> headers = new LinkedHashMap<>(m.headers());
                        headers.put(IngestHeaders.FAILURE_REASON, alone.getMessage());
                        producer(exchange).sendBodyAndHeaders("jms:queue:" + deadLetters, m.text(), headers);
                        LOG.error("Bundle of message {} refused by the EHR; moved to {}",
                                m.headers().get(IngestHeaders.CONTROL_ID), deadLetters);
                    }
                }
            }
            group.delivered = true;
        }
        if (whole && limit.current() < limit.most() && limit.taken(batch.members.size()) == limit.most()) {
            LOG.info("The EHR keeps up again: delivery transactions carry up to {} bundles (vigil.ehr.batch.max-bundles)",
                    limit.most());
        }
    }

    /**
     * The fast sink's check of every bundle of a batch, on {@link #FAST_SINK_THREADS} threads of its own while the
     * delivery consumer waits: on a busy machine one thread gets about one runnable thread's share of the CPU, and the
     * checks were most of the delivery consumer's CPU (docs/performance.md, change 31). The first refused bundle fails
     * the batch before any of it is counted.
     */
    private void checkAll(List<DeliveryBatch.Member> members) {
        if (members.size() < 8) {
            members.forEach(m -> FastSink.check(m.bundle()));
            return;
        }
        try {
            fastSinkPool().submit(() -> members.parallelStream().forEach(m -> FastSink.check(m.bundle()))).get();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException refused) {
                throw refused;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking bundles", e);
        }
    }

    private synchronized ForkJoinPool fastSinkPool() {
        if (fastSinkPool == null) {
            fastSinkPool = new ForkJoinPool(FAST_SINK_THREADS, pool -> {
                ForkJoinWorkerThread thread = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
                thread.setName("vigil-fast-sink-" + thread.getPoolIndex());
                thread.setDaemon(true);
                return thread;
            }, null, false);
        }
        return fastSinkPool;
    }

    /**
     * The EHR ran out of time on the merged transaction of group {@code index}: the next attempt posts it in two
     * halves, and further batches are smaller until the EHR keeps up again.
     */
    private void tooSlow(DeliveryBatch batch, int index, EhrUnavailableException slow) {
        int size = batch.groups.get(index).members.size();
        batch.split(index);
        int now = limit.tooSlow(size);
        LOG.warn("{} on a transaction of {} bundles (first message {}): the next attempt sends it in two, and delivery "
                        + "transactions carry at most {} bundles until the EHR keeps up", slow.getMessage(), size,
                batch.groups.get(index).members.get(0).headers().get(IngestHeaders.CONTROL_ID), now);
    }

    private void post(byte[] payload) {
        long start = System.nanoTime();
        try {
            requestTimer.record(() -> poster.post(payload));
        } catch (RuntimeException e) {
            failedAttempts.incrementAndGet();
            lastFailureAt = System.nanoTime();
            throw e;
        } finally {
            ehrWaitNanos.addAndGet(System.nanoTime() - start);
        }
    }

    /**
     * Whether this delivery is at work (it delivered within the last second) and not held up by the EHR: no failed
     * attempt within the last minute, and less than half of the last second or so spent waiting for the EHR's answers.
     * The outbox and the fast sink are the appliance's own work.
     */
    synchronized boolean workingWithoutWaitingForTheEhr(long now) {
        if (now - lastDeliveredAt > TimeUnit.SECONDS.toNanos(1) || now - lastFailureAt < DeliveryBacklog.EHR_FAILURE_MEMORY) {
            return false;
        }
        long elapsed = now - windowStart;
        if (elapsed > TimeUnit.SECONDS.toNanos(2)) {
            // not asked for a while: measure a fresh second, and until then take the EHR to be the reason
            windowStart = now;
            windowWaitStart = ehrWaitNanos.get();
            mostlyWaitingForTheEhr = true;
        } else if (elapsed >= TimeUnit.SECONDS.toNanos(1)) {
            long waited = ehrWaitNanos.get();
            mostlyWaitingForTheEhr = 2 * (waited - windowWaitStart) >= elapsed;
            windowStart = now;
            windowWaitStart = waited;
        }
        return !mostlyWaitingForTheEhr;
    }

    private void delivered(DeliveryBatch.Member m) {
        delivered.incrementAndGet();
        lastDeliveredAt = System.nanoTime();
        latencies.delivered(deviceTime(m), m.headers().get(IngestHeaders.OBSERVATION_COUNT));
        audit.disclosed(ehr.baseUrl(), ehr.purposeOfUse(), patientKeys(m.headers().get(FhirProcessing.PATIENT_KEYS)),
                messageId(m.headers()));
    }

    private synchronized ProducerTemplate producer(Exchange exchange) {
        if (producer == null) {
            producer = exchange.getContext().createProducerTemplate();
        }
        return producer;
    }

    /** The route's message, and with batching on, further bundles from the same queue in the same transaction. */
    private DeliveryBatch take(Exchange exchange, byte[] bundle) throws JMSException {
        Map<String, Object> headers = new LinkedHashMap<>();
        exchange.getIn().getHeaders().forEach((k, v) -> {
            if (k.startsWith("Vigil")) {
                headers.put(k, v);
            }
        });
        DeliveryBatch.Member first = new DeliveryBatch.Member(bundle, headers);
        JmsMessage jms = exchange.getIn() instanceof JmsMessage m ? m : null;
        int most = limit.current();
        if (most <= 1 || jms == null || jms.getJmsSession() == null) {
            return DeliveryBatch.single(first);
        }
        return DeliveryBatch.take(first, jms.getJmsSession(), queue, most, batchWindowMillis);
    }

    private static Long deviceTime(DeliveryBatch.Member m) {
        return m.headers().get(Latencies.DEVICE_TIME) instanceof Number n ? n.longValue() : null;
    }

    static List<String> patientKeys(Exchange exchange) {
        return patientKeys(exchange.getIn().getHeader(FhirProcessing.PATIENT_KEYS));
    }

    static String messageId(Exchange exchange) {
        return messageId(exchange.getIn().getHeaders());
    }

    static List<String> patientKeys(Object header) {
        String patients = header == null ? "" : header.toString();
        return patients.isEmpty() ? List.of() : List.of(patients.split("\n"));
    }

    static String messageId(Map<String, Object> headers) {
        return headers.get(IngestHeaders.PROTOCOL) + ":" + headers.get(IngestHeaders.SENDER) + ":"
                + headers.get(IngestHeaders.CONTROL_ID);
    }

    @ManagedAttribute(description = "Bundles delivered (EHR 2xx, or written to the outbox)")
    public long getDelivered() {
        return delivered.get();
    }

    @ManagedAttribute(description = "Delivery attempts that failed (each retry counts)")
    public long getFailedAttempts() {
        return failedAttempts.get();
    }

    @ManagedAttribute(description = "Transactions that carried more than one bundle (vigil.ehr.batch)")
    public long getBatches() {
        return batches.get();
    }

    @ManagedAttribute(description = "Delivery transactions begun (a batch of vigil.ehr.batch counts once, its retries not again)")
    public long getTransactions() {
        return transactions.get();
    }

    @ManagedAttribute(description = "Most bundles a delivery transaction takes now: vigil.ehr.batch.max-bundles, lower "
            + "while the EHR runs out of time on large transactions")
    public int getTransactionLimit() {
        return limit.current();
    }

    @ManagedAttribute(description = "Where bundles go: the EHR base URL, or the outbox")
    public String getDestination() {
        return ehr.configured() ? ehr.baseUrl() : countOnly ? "fast sink (count only)" : "outbox:" + outbox.directory().toAbsolutePath();
    }
}
