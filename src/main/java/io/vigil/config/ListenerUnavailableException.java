package io.vigil.config;

/** A listener Vigil needs could not bind its address. */
public class ListenerUnavailableException extends RuntimeException {

    private final String setting;
    private final String host;
    private final int port;

    public ListenerUnavailableException(String setting, String host, int port, String cause) {
        super("Vigil cannot listen on %s:%d (%s): %s".formatted(host, port, setting, cause));
        this.setting = setting;
        this.host = host;
        this.port = port;
    }

    public String setting() {
        return setting;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }
}
