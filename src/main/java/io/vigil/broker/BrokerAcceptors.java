package io.vigil.broker;

import io.vigil.config.VigilProperties;
import java.util.Objects;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.settings.impl.AddressFullMessagePolicy;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.springframework.boot.autoconfigure.jms.artemis.ArtemisConfigurationCustomizer;
import org.springframework.stereotype.Component;

/**
 * Opens the embedded Artemis to devices: MQTT on vigil.mqtt.port and CORE/AMQP on vigil.artemis.port (Spring
 * Boot's embedded broker listens in-VM only), and binds the durable queue that collects every device's
 * observation topic and every vendor topic; sets which queue's consumers hold messages ahead, where senders into
 * the processing queue wait, and how many threads the broker and its in-VM clients keep.
 */
@Component
class BrokerAcceptors implements ArtemisConfigurationCustomizer {

    static final String MQTT_ACCEPTOR = "mqtt";
    static final String CORE_ACCEPTOR = "core";
    /** MQTT topic vigil/devices/{deviceId}/observations arrives on this Artemis address pattern. */
    public static final String DEVICE_ADDRESS = "vigil.devices.*.observations";
    public static final String MQTT_INBOX = "vigil.mqtt.inbox";
    /** MQTT topics vigil/vendors/{source}[/{deviceId}] (vendor payloads read by mappings/vendors) arrive here. */
    public static final String VENDOR_ADDRESS = "vigil.vendors.#";
    public static final String VENDOR_INBOX = "vigil.vendor.inbox";

    static final int DEFAULT_PROCESSING_PREFETCH = 65536;

    private final VigilProperties properties;

    BrokerAcceptors(VigilProperties properties) {
        this.properties = properties;
    }

    @Override
    public void customize(Configuration configuration) {
        try {
            configuration.addAcceptorConfiguration(MQTT_ACCEPTOR, "tcp://%s:%d?protocols=MQTT".formatted(
                    properties.mqtt().host(), properties.mqtt().port()));
            configuration.addAcceptorConfiguration(CORE_ACCEPTOR, "tcp://%s:%d?protocols=CORE,AMQP".formatted(
                    properties.artemis().host(), properties.artemis().port()));
        } catch (Exception e) {
            throw new IllegalStateException("Invalid broker acceptor settings", e);
        }
        int threads = threadPoolMaxSize(properties.artemis().threadPoolMaxSize(), Runtime.getRuntime().availableProcessors());
        configuration.setThreadPoolMaxSize(threads);
        // the in-VM connector hands the broker's packets to the appliance's sessions on the client's global pool,
        // sized when the first in-VM connection opens, which is after the broker is configured
        ActiveMQClient.setGlobalThreadPoolProperties(threads, ActiveMQClient.getGlobalScheduledThreadPoolSize(),
                ActiveMQClient.getGlobalFlowControlThreadPoolSize());
        java.time.Duration bufferTimeout = properties.artemis().journalBufferTimeout();
        if (bufferTimeout != null) {
            // every send still waits for its sync; this is how long concurrent writes are gathered into one
            configuration.setJournalBufferTimeout_NIO((int) bufferTimeout.toNanos());
            configuration.setJournalBufferTimeout_AIO((int) bufferTimeout.toNanos());
        }
        configuration.addQueueConfiguration(QueueConfiguration.of(MQTT_INBOX)
                .setAddress(DEVICE_ADDRESS)
                .setRoutingType(RoutingType.MULTICAST)
                .setDurable(true));
        configuration.addQueueConfiguration(QueueConfiguration.of(VENDOR_INBOX)
                .setAddress(VENDOR_ADDRESS)
                .setRoutingType(RoutingType.MULTICAST)
                .setDurable(true));
        // The appliance's consumers take a message when they are ready for it (consumer window 0): a waiting message
        // stays on its queue, where a delivery batch (vigil.ehr.batch, taken by a second consumer) sees it and an
        // operator's console can take it. The processing consumers are the exception: each holds the next few
        // messages, so it does not wait for a round trip to the broker between two messages. Held messages stay on
        // the queue until processed in a committed transaction. The appliance's JMS client keeps Artemis's default
        // window, which tells the broker to use these per-address settings.
        configuration.getAddressSettings().computeIfAbsent("#", match -> new AddressSettings()).setDefaultConsumerWindowSize(0);
        AddressSettings observations = new AddressSettings().setDefaultConsumerWindowSize(
                Objects.requireNonNullElse(properties.artemis().processingPrefetchBytes(), DEFAULT_PROCESSING_PREFETCH));
        Long backlog = properties.artemis().processingBacklogBytes();
        if (backlog != null && backlog > 0) {
            // flow control: past this many bytes waiting for processing, senders into the queue wait (MLLP ACKs and
            // MQTT forwarding slow down) instead of ingest taking the CPU that processing needs to catch up
            observations.setMaxSizeBytes(backlog).setAddressFullMessagePolicy(AddressFullMessagePolicy.BLOCK);
        }
        configuration.addAddressSetting(properties.queue().get("observations"), observations);
        if (properties.kafka().enabled()) {
            // a durable subscription of the alert topic that the Kafka route drains, so no alert is lost while Kafka is away
            configuration.addQueueConfiguration(QueueConfiguration.of(properties.queue().get("kafka-alerts"))
                    .setAddress(properties.alerts().topic())
                    .setRoutingType(RoutingType.MULTICAST)
                    .setDurable(true));
        }
    }

    /** Threads of the broker's pool and of the in-VM clients' pool: as configured, else two per core, at least 4. */
    static int threadPoolMaxSize(Integer configured, int cores) {
        if (configured != null) {
            if (configured < 2) {
                throw new IllegalStateException("vigil.artemis.thread-pool-max-size must be at least 2, not " + configured);
            }
            return configured;
        }
        return Math.max(4, 2 * cores);
    }
}
