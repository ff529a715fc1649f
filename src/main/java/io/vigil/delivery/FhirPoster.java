package io.vigil.delivery;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * POSTs a transaction Bundle to a FHIR base URL and turns the answer into success, a retryable failure
 * ({@link EhrUnavailableException}) or a refusal ({@link EhrRejectedException}).
 */
final class FhirPoster {

    private static final String FHIR_JSON = "application/fhir+json";

    private final String baseUrl;
    private final Duration timeout;
    private final String bearerToken;
    private final HttpClient http;

    FhirPoster(String baseUrl, Duration timeout, String bearerToken) {
        this.baseUrl = baseUrl;
        this.timeout = timeout;
        this.bearerToken = bearerToken;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /** POSTs the bundle's JSON (UTF-8 bytes); returns the HTTP status of a 2xx answer, throws for anything else. */
    int post(byte[] bundle) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl))
                .timeout(timeout)
                .header("Content-Type", FHIR_JSON + "; charset=UTF-8")
                .header("Accept", FHIR_JSON)
                .POST(HttpRequest.BodyPublishers.ofByteArray(bundle));
        if (bearerToken != null && !bearerToken.isBlank()) {
            request.header("Authorization", "Bearer " + bearerToken);
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw new EhrUnavailableException("VIGIL-DLV-004 " + baseUrl + " did not answer within " + timeout.toMillis() + " ms"
                    + " (vigil.ehr.timeout)", e, true);
        } catch (IOException e) {
            throw new EhrUnavailableException("VIGIL-DLV-001 " + baseUrl + " unreachable: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EhrUnavailableException("VIGIL-DLV-001 delivery interrupted", e);
        }
        int status = response.statusCode();
        if (status / 100 == 2) {
            return status;
        }
        String detail = "HTTP " + status + " " + OperationOutcomes.summary(response.body());
        if (status / 100 == 4 && status != 408 && status != 429) {
            throw new EhrRejectedException("VIGIL-DLV-003 " + baseUrl + " rejected the bundle: " + detail);
        }
        throw new EhrUnavailableException("VIGIL-DLV-002 " + baseUrl + " could not take the bundle: " + detail, null,
                status == 408 || status == 504);
    }
}
