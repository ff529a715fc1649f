package io.vigil.delivery;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vigil.config.VigilProperties;
import io.vigil.fhir.FhirProcessing;
import io.vigil.governance.AuditTrail;
import io.vigil.ingest.IngestHeaders;
import jakarta.annotation.PostConstruct;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.Exchange;
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

    public EhrDelivery(VigilProperties properties, Outbox outbox, AuditTrail audit, MeterRegistry registry) {
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
            LOG.info("Delivering FHIR bundles to the EHR at {}", ehr.baseUrl());
        } else if (countOnly) {
            LOG.warn("No EHR configured and vigil.outbox.mode=count: FHIR bundles are checked and counted, not kept "
                    + "(a fast sink for load tests)");
        } else {
            LOG.warn("No EHR configured: FHIR bundles go to the local outbox {} (listed at /api/outbox). "
                    + "Set vigil.ehr.base-url (environment VIGIL_EHR_BASE_URL) to an EHR's FHIR R4 base URL to deliver there.",
                    outbox.directory().toAbsolutePath());
        }
    }

    public void deliver(Exchange exchange) {
        String bundle = exchange.getIn().getBody(String.class);
        String controlId = exchange.getIn().getHeader(IngestHeaders.CONTROL_ID, String.class);
        if (!ehr.configured()) {
            if (countOnly) {
                FastSink.check(bundle);
            } else {
                outbox.store(controlId, bundle);
            }
            delivered.incrementAndGet();
            return;
        }
        try {
            requestTimer.record(() -> poster.post(bundle));
        } catch (RuntimeException e) {
            failedAttempts.incrementAndGet();
            throw e;
        }
        delivered.incrementAndGet();
        audit.disclosed(ehr.baseUrl(), ehr.purposeOfUse(), patientKeys(exchange), messageId(exchange));
    }

    static List<String> patientKeys(Exchange exchange) {
        String patients = exchange.getIn().getHeader(FhirProcessing.PATIENT_KEYS, "", String.class);
        return patients.isEmpty() ? List.of() : List.of(patients.split("\n"));
    }

    static String messageId(Exchange exchange) {
        return exchange.getIn().getHeader(IngestHeaders.PROTOCOL, String.class) + ":"
                + exchange.getIn().getHeader(IngestHeaders.SENDER, String.class) + ":"
                + exchange.getIn().getHeader(IngestHeaders.CONTROL_ID, String.class);
    }

    @ManagedAttribute(description = "Bundles delivered (EHR 2xx, or written to the outbox)")
    public long getDelivered() {
        return delivered.get();
    }

    @ManagedAttribute(description = "Delivery attempts that failed (each retry counts)")
    public long getFailedAttempts() {
        return failedAttempts.get();
    }

    @ManagedAttribute(description = "Where bundles go: the EHR base URL, or the outbox")
    public String getDestination() {
        return ehr.configured() ? ehr.baseUrl() : countOnly ? "fast sink (count only)" : "outbox:" + outbox.directory().toAbsolutePath();
    }
}
