package io.vigil.fhir;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.vigil.ingest.IngestHeaders;
import io.vigil.model.CanonicalJson;
import io.vigil.model.DeviceObservation;
import io.vigil.model.ObservationBatch;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * The step of route build-fhir: a stored batch becomes its transaction Bundle, or is held when it names no
 * patient (charting needs a subject; patient association comes from ADT and bed mapping).
 */
@Component("fhirProcessing")
public class FhirProcessing {

    /** Header set to "deliver", "hold" or "empty". */
    public static final String OUTCOME = "VigilOutcome";

    private final FhirBundleBuilder builder;

    public FhirProcessing(FhirBundleBuilder builder) {
        this.builder = builder;
    }

    public void process(Exchange exchange) throws JsonProcessingException {
        ObservationBatch batch = CanonicalJson.MAPPER.readValue(exchange.getIn().getBody(String.class), ObservationBatch.class);
        if (batch.observations().isEmpty()) {
            exchange.getIn().setHeader(OUTCOME, "empty");
            return;
        }
        if (!batch.observations().stream().allMatch(o -> o.patient() != null && o.patient().resolved())) {
            exchange.getIn().setHeader(OUTCOME, "hold");
            exchange.getIn().setHeader(IngestHeaders.HOLD_REASON, "VIGIL-FHIR-001 no patient identifier: held for association");
            return;
        }
        exchange.getIn().setBody(builder.toJson(builder.build(batch)));
        exchange.getIn().setHeader(OUTCOME, "deliver");
        exchange.getIn().setHeader(IngestHeaders.OBSERVATION_COUNT, batch.observations().stream()
                .map(DeviceObservation::sourceKey).distinct().count());
    }
}
