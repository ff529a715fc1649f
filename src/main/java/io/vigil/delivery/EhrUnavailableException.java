package io.vigil.delivery;

/** The EHR could not take a bundle now (connection failure, timeout, 5xx, 408, 429): retried with backoff. */
public class EhrUnavailableException extends RuntimeException {

    private final boolean tooSlow;

    public EhrUnavailableException(String message, Throwable cause) {
        this(message, cause, false);
    }

    /** @param tooSlow the EHR did not answer in time (timeout, HTTP 408 or 504): a smaller transaction may pass */
    public EhrUnavailableException(String message, Throwable cause, boolean tooSlow) {
        super(message, cause);
        this.tooSlow = tooSlow;
    }

    /** Whether the EHR ran out of time on the request rather than being away or refusing it. */
    public boolean tooSlow() {
        return tooSlow;
    }
}
