package io.vigil.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.vigil.model.CanonicalJson;
import org.springframework.stereotype.Component;

/** The Kafka key of an alert: its patient, so that one patient's alerts keep their order on one partition. */
@Component("alertKeys")
public class AlertKeys {

    public String patientOf(String alertJson) throws JsonProcessingException {
        return CanonicalJson.MAPPER.readTree(alertJson).path("patient").asText("");
    }
}
