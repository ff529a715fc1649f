package io.vigil.delivery;

import io.vigil.config.VigilProperties;
import io.vigil.governance.AuditTrail;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.Exchange;
import org.springframework.jmx.export.annotation.ManagedAttribute;
import org.springframework.jmx.export.annotation.ManagedResource;
import org.springframework.stereotype.Component;

/**
 * The step of route deliver-research: Safe Harbor de-identified bundles to the research destination
 * (vigil.research.base-url), each disclosure audited with the destination's purpose of use.
 */
@Component("researchDelivery")
@ManagedResource(objectName = "io.vigil:type=Delivery,name=research", description = "De-identified FHIR to research")
public class ResearchDelivery {

    private final VigilProperties.Research research;
    private final AuditTrail audit;
    private final FhirPoster poster;
    private final AtomicLong delivered = new AtomicLong();

    public ResearchDelivery(VigilProperties properties, AuditTrail audit) {
        this.research = properties.research();
        this.audit = audit;
        this.poster = research.configured() ? new FhirPoster(research.baseUrl(), research.timeout(), research.bearerToken()) : null;
    }

    public void deliver(Exchange exchange) {
        poster.post(DeliveryBatch.bundleBytes(exchange.getIn()));
        delivered.incrementAndGet();
        // the audit names the patients by their pseudonyms only: the trail itself stays de-identified for this flow
        audit.disclosed(research.baseUrl(), research.purposeOfUse(), List.of(), EhrDelivery.messageId(exchange));
    }

    @ManagedAttribute(description = "De-identified bundles delivered to the research destination")
    public long getDelivered() {
        return delivered.get();
    }
}
