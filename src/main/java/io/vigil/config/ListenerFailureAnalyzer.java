package io.vigil.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a port that cannot be bound into a short operator message instead of a stack trace. */
public class ListenerFailureAnalyzer extends AbstractFailureAnalyzer<ListenerUnavailableException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, ListenerUnavailableException cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Stop the process using port %d on %s, or set %s (environment variable %s) to a free port."
                        .formatted(cause.port(), cause.host(), cause.setting(),
                                cause.setting().toUpperCase().replace('.', '_').replace('-', '_')),
                cause);
    }
}
