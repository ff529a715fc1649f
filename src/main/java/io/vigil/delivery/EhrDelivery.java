package io.vigil.delivery;

import io.vigil.config.VigilProperties;
import io.vigil.fhir.FhirProcessing;
import io.vigil.governance.AuditTrail;
import io.vigil.ingest.IngestHeaders;
import jakarta.annotation.PostConstruct;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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
    private static final String FHIR_JSON = "application/fhir+json";

    private final VigilProperties.Ehr ehr;
    private final Outbox outbox;
    private final AuditTrail audit;
    private final HttpClient http;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong failedAttempts = new AtomicLong();

    public EhrDelivery(VigilProperties properties, Outbox outbox, AuditTrail audit) {
        this.ehr = properties.ehr();
        this.outbox = outbox;
        this.audit = audit;
        this.http = HttpClient.newBuilder().connectTimeout(ehr.timeout()).build();
    }

    @PostConstruct
    void announceDestination() {
        if (ehr.configured()) {
            LOG.info("Delivering FHIR bundles to the EHR at {}", ehr.baseUrl());
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
            outbox.store(controlId, bundle);
            delivered.incrementAndGet();
            return;
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(ehr.baseUrl()))
                .timeout(ehr.timeout())
                .header("Content-Type", FHIR_JSON + "; charset=UTF-8")
                .header("Accept", FHIR_JSON)
                .POST(HttpRequest.BodyPublishers.ofString(bundle, StandardCharsets.UTF_8));
        if (ehr.bearerToken() != null && !ehr.bearerToken().isBlank()) {
            request.header("Authorization", "Bearer " + ehr.bearerToken());
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            failedAttempts.incrementAndGet();
            throw new EhrUnavailableException("VIGIL-DLV-001 EHR unreachable: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EhrUnavailableException("VIGIL-DLV-001 delivery interrupted", e);
        }
        int status = response.statusCode();
        if (status / 100 == 2) {
            delivered.incrementAndGet();
            String patients = exchange.getIn().getHeader(FhirProcessing.PATIENT_KEYS, "", String.class);
            audit.disclosed(ehr.baseUrl(), ehr.purposeOfUse(), patients.isEmpty() ? List.of() : List.of(patients.split("\n")),
                    exchange.getIn().getHeader(IngestHeaders.PROTOCOL, String.class) + ":"
                            + exchange.getIn().getHeader(IngestHeaders.SENDER, String.class) + ":" + controlId);
            LOG.debug("Delivered bundle of message {} to the EHR: HTTP {}", controlId, status);
            return;
        }
        failedAttempts.incrementAndGet();
        String detail = "HTTP " + status + " " + OperationOutcomes.summary(response.body());
        if (status / 100 == 4 && status != 408 && status != 429) {
            throw new EhrRejectedException("VIGIL-DLV-003 EHR rejected the bundle: " + detail);
        }
        throw new EhrUnavailableException("VIGIL-DLV-002 EHR could not take the bundle: " + detail, null);
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
        return ehr.configured() ? ehr.baseUrl() : "outbox:" + outbox.directory().toAbsolutePath();
    }
}
