package io.vigil.delivery;

/**
 * The EHR refused a bundle with a client error (4xx other than 408 and 429): sending it again cannot succeed, so
 * it goes to the dead-letter queue at once.
 */
public class EhrRejectedException extends RuntimeException {

    public EhrRejectedException(String message) {
        super(message);
    }
}
