package io.vigil.delivery;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The fast sink (vigil.outbox.mode=count) of load tests: a bundle is accepted when it is well-formed JSON and a FHIR
 * transaction Bundle with entries, checked in one pass of Jackson's tokenizer (no document tree), so that the sink
 * costs the appliance almost nothing and the load tool measures the appliance's own ceiling.
 */
final class FastSink {

    private static final JsonFactory JSON = new JsonFactory();

    private FastSink() {
    }

    /** @throws EhrRejectedException when the bundle is not JSON, or not a transaction Bundle with entries */
    static void check(String bundle) {
        String resourceType = null;
        String type = null;
        int entries = 0;
        try (JsonParser json = JSON.createParser(bundle)) {
            if (json.nextToken() != JsonToken.START_OBJECT) {
                throw notABundle();
            }
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String name = json.currentName();
                JsonToken value = json.nextToken();
                if ("resourceType".equals(name)) {
                    resourceType = value == JsonToken.VALUE_STRING ? json.getText() : null;
                } else if ("type".equals(name)) {
                    type = value == JsonToken.VALUE_STRING ? json.getText() : null;
                } else if ("entry".equals(name) && value == JsonToken.START_ARRAY) {
                    entries = 0;
                    while (json.nextToken() != JsonToken.END_ARRAY) {
                        entries++;
                        json.skipChildren();
                    }
                } else {
                    json.skipChildren();
                }
            }
            if (json.nextToken() != null) {
                throw new EhrRejectedException("VIGIL-DLV-003 fast sink: not JSON: content after the bundle");
            }
        } catch (JsonProcessingException e) {
            throw new EhrRejectedException("VIGIL-DLV-003 fast sink: not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!"Bundle".equals(resourceType) || !"transaction".equals(type) || entries == 0) {
            throw notABundle();
        }
    }

    private static EhrRejectedException notABundle() {
        return new EhrRejectedException("VIGIL-DLV-003 fast sink: not a transaction Bundle with entries");
    }
}
