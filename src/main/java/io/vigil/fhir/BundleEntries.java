package io.vigil.fhir;

import io.vigil.ingest.Hashes;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;

/** Transaction entries with fullUrls derived from stable identifiers, so that a bundle is reproducible. */
final class BundleEntries {

    private BundleEntries() {
    }

    static String fullUrl(String type, String system, String value) {
        return "urn:uuid:" + Hashes.nameUuid(type + "|" + system + "|" + value);
    }

    /** POST, skipped by the server when a resource with this identifier already exists. */
    static String conditionalCreate(Bundle bundle, Resource resource, String system, String value) {
        String type = resource.fhirType();
        String url = fullUrl(type, system, value);
        bundle.addEntry().setFullUrl(url).setResource(resource).getRequest()
                .setMethod(Bundle.HTTPVerb.POST).setUrl(type).setIfNoneExist("identifier=" + system + "|" + value);
        return url;
    }

    /** PUT by identifier: creates the resource, or updates the one with this identifier. */
    static String conditionalUpdate(Bundle bundle, Resource resource, String system, String value) {
        String type = resource.fhirType();
        String url = fullUrl(type, system, value);
        bundle.addEntry().setFullUrl(url).setResource(resource).getRequest()
                .setMethod(Bundle.HTTPVerb.PUT).setUrl(type + "?identifier=" + system + "|" + value);
        return url;
    }

    static String stableId(String key) {
        return Hashes.nameUuid(key);
    }
}
