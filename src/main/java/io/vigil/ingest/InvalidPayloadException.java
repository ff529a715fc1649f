package io.vigil.ingest;

/** A device payload Vigil cannot read; the reason names the JSON path and never the payload's values. */
public class InvalidPayloadException extends Exception {

    private final String path;

    public InvalidPayloadException(String path, String reason) {
        super(path + ": " + reason);
        this.path = path;
    }

    public String path() {
        return path;
    }
}
