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
        Map<String, String> queue,
        Rules rules,
        Governance governance,
        Alerts alerts,
        Research research,
        Kafka kafka,
        Vendors vendors,
        Map<String, Destination> destinations,
        Retention retention) {

    /** @param maxMessageBytes larger HL7 messages are refused with NAK AR VIGIL-HL7-011 */
    public record Mllp(String host, int port, Integer maxMessageBytes) {
    }

    public record Mqtt(String host, int port) {
    }

    /**
     * @param journalBufferTimeout how long the journal gathers writes before one sync (null: Artemis's default)
     * @param processingBacklogBytes bytes waiting on the observations queue past which senders into it wait
     * @param processingPrefetchBytes bytes of messages each processing consumer holds ahead of the one it works on
     *                                (null: 64 KiB)
     * @param threadPoolMaxSize threads of the broker's pool and of its in-VM clients' pool each (null: two per core,
     *                          at least 4)
     */
    public record Artemis(String host, int port, Duration journalBufferTimeout, Long processingBacklogBytes,
                          Integer processingPrefetchBytes, Integer threadPoolMaxSize) {
    }

    /** @param codeMaps OBX-3 coding systems translated by a vendor code map of mappings/codes (MDIL: philips-mdil) */
    public record Hl7(String deviceZone, String defaultCharset, Map<String, String> identifierSystems,
                      Map<String, String> codeMaps) {
    }

    /**
     * @param production a production EHR never receives test or demo data
     * @param purposeOfUse HL7 v3 ActReason code declared for this destination (TREAT, HRESCH, ...)
     */
    public record Ehr(String baseUrl, Duration timeout, String bearerToken, boolean production, String purposeOfUse,
                      Batch batch) {

        public boolean configured() {
            return baseUrl != null && !baseUrl.isBlank();
        }
    }

    /**
     * @param maxBundles bundles delivered in one JMS transaction (1: one at a time), merged per patient
     * @param window how long a transaction waits for more bundles once it has one
     */
    public record Batch(int maxBundles, Duration window) {
    }

    /** @param mode "files" (default): bundles kept as files; "count": checked and counted only (the load tool's fast sink) */
    public record Outbox(int maxFiles, String mode) {

        public boolean countOnly() {
            return "count".equals(mode);
        }
    }

    public record Console(String username, String password) {
    }

    public record Rules(Path dir, Duration reloadDelay, Duration freshness, Duration trendWindow, Duration quietInterval,
                        String singleParameterBand, int defaultSpo2Scale, int maxPatients, Duration idle) {
    }

    public record Governance(Devices devices) {

        public record Devices(boolean enforce, java.util.List<String> approved) {
        }
    }

    public record Alerts(String topic) {
    }

    public record Kafka(boolean enabled, String bootstrapServers, String alertsTopic) {
    }

    /** How long messages waiting for an operator are kept (0: for ever), and how often that is checked. */
    public record Retention(Duration maxAge, Duration checkInterval) {
    }

    /** A further treatment destination: receives what the EHR receives, from its own queue. */
    public record Destination(String baseUrl, Duration timeout, String bearerToken, String purposeOfUse) {
    }

    /** A non-treatment destination that receives Safe Harbor de-identified data. */
    public record Research(String baseUrl, Duration timeout, String bearerToken, String purposeOfUse) {

        public boolean configured() {
            return baseUrl != null && !baseUrl.isBlank();
        }
    }

    /**
     * Vendor payloads read by mappings/vendors.
     *
     * @param patientSystem identifier system of a patient id given by the entry point rather than the payload
     * @param futureTolerance times further ahead of arrival than this are flagged TIME-FUTURE
     * @param kafkaTopics Kafka topics consumed when vigil.kafka.enabled (comma-separated)
     */
    public record Vendors(String patientSystem, Duration futureTolerance, Duration reloadDelay, Path dropFolder,
                          String kafkaTopics, int maxPayloadBytes, int latestReasons) {
    }

    public record Simulator(boolean enabled, int beds, Duration interval, int deteriorating, double mllpShare) {
    }
}
