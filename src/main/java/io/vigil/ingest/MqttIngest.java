package io.vigil.ingest;

import io.vigil.fhir.FhirProcessing;
import io.vigil.model.ObservationBatch;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Queue;
import jakarta.jms.Topic;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jmx.export.annotation.ManagedAttribute;
import org.springframework.jmx.export.annotation.ManagedResource;
import org.springframework.stereotype.Component;

/**
 * The step of route ingest-mqtt: device JSON published on vigil/devices/{deviceId}/observations (already stored
 * by Artemis before it sent PUBACK) into a batch of canonical observations, or a quarantine reason.
 */
@Component("mqttIngest")
@ManagedResource(objectName = "io.vigil:type=Ingest,name=mqtt", description = "Device JSON over MQTT")
public class MqttIngest {

    private static final Pattern DEVICE_ADDRESS = Pattern.compile("vigil\\.devices\\.([^.]+)\\.observations");
    private static final Logger LOG = LoggerFactory.getLogger(MqttIngest.class);

    private final DeviceJsonReader reader;
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong quarantined = new AtomicLong();

    public MqttIngest(DeviceJsonReader reader) {
        this.reader = reader;
    }

    /**
     * Body: the MQTT payload. Out: the batch in exchange property {@link FhirProcessing#BATCH} with header
     * VigilAccepted, or the header false with the quarantine reason (the payload stays the body).
     */
    public void read(Exchange exchange) throws JMSException {
        byte[] payload = exchange.getIn().getBody(byte[].class);
        String deviceId = deviceIdOf(exchange.getIn().getHeader("JMSDestination", Destination.class));
        try {
            ObservationBatch batch = reader.read(payload, deviceId, Instant.now());
            exchange.setProperty(FhirProcessing.BATCH, batch);
            exchange.getIn().setHeader(IngestHeaders.ACCEPTED, true);
            exchange.getIn().setHeader(IngestHeaders.CONTROL_ID, batch.source().messageControlId());
            exchange.getIn().setHeader(IngestHeaders.SENDER, batch.source().sender());
            exchange.getIn().setHeader(IngestHeaders.PAYLOAD_SHA256, batch.source().payloadSha256());
            exchange.getIn().setHeader(IngestHeaders.PROTOCOL, DeviceJsonReader.PROTOCOL);
            exchange.getIn().setHeader(IngestHeaders.OBSERVATION_COUNT, batch.observations().size());
            accepted.incrementAndGet();
        } catch (InvalidPayloadException e) {
            quarantined.incrementAndGet();
            String sha256 = Hashes.sha256(payload);
            exchange.getIn().setHeader(IngestHeaders.ACCEPTED, false);
            exchange.getIn().setHeader(IngestHeaders.QUARANTINE_REASON, "VIGIL-JSON-001 " + e.getMessage());
            exchange.getIn().setHeader(IngestHeaders.PAYLOAD_SHA256, sha256);
            exchange.getIn().setHeader(IngestHeaders.SENDER, deviceId);
            LOG.warn("Quarantined MQTT payload from device {} sha256 {}: VIGIL-JSON-001 at {}", deviceId,
                    Hashes.shortForm(sha256), e.path());
        }
    }

    static String deviceIdOf(Destination destination) throws JMSException {
        String address = destination instanceof Queue q ? q.getQueueName()
                : destination instanceof Topic t ? t.getTopicName() : null;
        if (address == null) {
            return null;
        }
        Matcher m = DEVICE_ADDRESS.matcher(address.contains("::") ? address.substring(0, address.indexOf("::")) : address);
        return m.matches() ? m.group(1) : null;
    }

    @ManagedAttribute(description = "Device JSON messages accepted")
    public long getAccepted() {
        return accepted.get();
    }

    @ManagedAttribute(description = "Device JSON messages quarantined with a reason")
    public long getQuarantined() {
        return quarantined.get();
    }
}
