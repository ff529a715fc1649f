package io.vigil.delivery;

/** The EHR could not take a bundle now (connection failure, timeout, 5xx, 408, 429): retried with backoff. */
public class EhrUnavailableException extends RuntimeException {

    public EhrUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
