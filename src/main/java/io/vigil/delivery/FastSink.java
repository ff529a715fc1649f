package io.vigil.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The fast sink (vigil.outbox.mode=count) of load tests: a bundle is accepted when it is a FHIR transaction
 * Bundle with entries, checked with Jackson only, so that the sink costs the appliance almost nothing and the
 * load tool measures the appliance's own ceiling.
 */
final class FastSink {

    private static final ObjectMapper JSON = new ObjectMapper();

    private FastSink() {
    }

    /** @throws EhrRejectedException when the bundle is not a transaction Bundle with entries */
    static void check(String bundle) {
        JsonNode root;
        try {
            root = JSON.readTree(bundle);
        } catch (JsonProcessingException e) {
            throw new EhrRejectedException("VIGIL-DLV-003 fast sink: not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !"Bundle".equals(root.path("resourceType").asText()) || !"transaction".equals(root.path("type").asText())
                || !root.path("entry").isArray() || root.path("entry").isEmpty()) {
            throw new EhrRejectedException("VIGIL-DLV-003 fast sink: not a transaction Bundle with entries");
        }
    }
}
