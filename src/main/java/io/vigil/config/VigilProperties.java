package io.vigil.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** Every vigil.* setting; defaults and documentation live in config/application.yaml. */
@ConfigurationProperties("vigil")
public record VigilProperties(
        Path dataDir,
        Path mappingsDir,
        Mllp mllp,
        Mqtt mqtt,
        Artemis artemis,
        Hl7 hl7,
        Ehr ehr,
        Outbox outbox,
        Console console,
        Simulator simulator,
        Map<String, String> queue) {

    public record Mllp(String host, int port) {
    }

    public record Mqtt(String host, int port) {
    }

    public record Artemis(String host, int port) {
    }

    public record Hl7(String deviceZone, String defaultCharset, Map<String, String> identifierSystems) {
    }

    public record Ehr(String baseUrl, Duration timeout, String bearerToken) {

        public boolean configured() {
            return baseUrl != null && !baseUrl.isBlank();
        }
    }

    public record Outbox(int maxFiles) {
    }

    public record Console(String username, String password) {
    }

    public record Simulator(boolean enabled, int beds, Duration interval, int deteriorating, double mllpShare) {
    }
}
