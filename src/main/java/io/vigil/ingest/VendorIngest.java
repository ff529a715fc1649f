package io.vigil.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.vigil.config.VigilProperties;
import io.vigil.mapping.IngestContext;
import io.vigil.mapping.MappingResult;
import io.vigil.mapping.VendorMappings;
import io.vigil.model.CanonicalJson;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Queue;
import jakarta.jms.Topic;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jmx.export.annotation.ManagedAttribute;
import org.springframework.jmx.export.annotation.ManagedResource;
import org.springframework.stereotype.Component;

/**
 * The steps of routes/ingest-vendor.camel.yaml: each entry point (HTTP, MQTT, drop folder, Kafka, re-run) says
 * what it knows ({@code VigilSource}, {@code VigilDeviceId}, {@code VigilPatientId}), then {@link #map} reads the
 * payload with mappings/vendors into a batch of canonical observations. A payload no mapping reads, or the
 * records a mapping refuses, go to the mapping quarantine with the reason (the raw payload is kept, so the
 * operator can re-run it once the mapping is fixed). Nothing is dropped without a word.
 */
@Component("vendorIngest")
@ManagedResource(objectName = "io.vigil:type=Ingest,name=vendor", description = "Vendor payloads read by mappings/vendors")
public class VendorIngest {

    public static final String SOURCE = "VigilSource";
    public static final String DEVICE = "VigilDeviceId";
    /** The entry point's patient id, kept only so that a quarantined payload can be re-run; never logged. */
    public static final String PATIENT = "VigilPatientId";
    public static final String MAPPING = "VigilMapping";
    public static final String OUTCOME = "VigilOutcome";
    /** Exchange properties set by {@link #map}. */
    static final String BATCH = "vigilBatch";
    static final String QUARANTINE = "vigilQuarantineReason";
    static final String SUMMARY = "vigilSummary";

    private static final Logger LOG = LoggerFactory.getLogger(VendorIngest.class);
    private static final Pattern VENDOR_ADDRESS = Pattern.compile("vigil\\.vendors\\.([^.]+)(?:\\.([^.]+))?");
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private final VendorMappings mappings;
    private final int maxPayloadBytes;
    private final int latestReasons;
    private final Deque<Map<String, Object>> latest = new ArrayDeque<>();
    private final AtomicLong payloads = new AtomicLong();
    private final AtomicLong observations = new AtomicLong();
    private final AtomicLong quarantined = new AtomicLong();
    private final AtomicLong rejectedRecords = new AtomicLong();
    private final AtomicLong ignoredValues = new AtomicLong();

    public VendorIngest(VendorMappings mappings, VigilProperties properties) {
        this.mappings = mappings;
        this.maxPayloadBytes = properties.vendors().maxPayloadBytes();
        this.latestReasons = properties.vendors().latestReasons();
    }

    /** POST /api/ingest/{source}?patient=&device= (or headers X-Vigil-Patient, X-Vigil-Device). */
    public void fromHttp(Exchange exchange) {
        var in = exchange.getIn();
        String source = in.getHeader("source", String.class);
        String patient = first(in.getHeader("patient", String.class), in.getHeader("X-Vigil-Patient", String.class));
        String device = first(in.getHeader("device", String.class), in.getHeader("X-Vigil-Device", String.class));
        byte[] body = in.getBody(byte[].class);
        enter(exchange, "http", source, device, patient, body);
    }

    /** MQTT topic vigil/vendors/{source}[/{deviceId}], stored by Artemis before its PUBACK. */
    public void fromMqtt(Exchange exchange) throws JMSException {
        Destination destination = exchange.getIn().getHeader("JMSDestination", Destination.class);
        String address = destination instanceof Queue q ? q.getQueueName() : destination instanceof Topic t ? t.getTopicName() : "";
        if (address.contains("::")) {
            address = address.substring(0, address.indexOf("::"));
        }
        Matcher m = VENDOR_ADDRESS.matcher(address);
        String source = m.matches() ? m.group(1) : "mqtt";
        String device = m.matches() ? m.group(2) : null;
        enter(exchange, "mqtt", source, device, null, exchange.getIn().getBody(byte[].class));
    }

    /** A file dropped in {drop-folder}/{source}/; the file stays until the route has stored what it made of it. */
    public void fromFile(Exchange exchange) {
        String parent = exchange.getIn().getHeader(Exchange.FILE_PARENT, String.class);
        String source = parent == null ? "file" : java.nio.file.Path.of(parent).getFileName().toString();
        enter(exchange, "file", source, null, null, exchange.getIn().getBody(byte[].class));
    }

    /** A Kafka record; headers vigil-source, vigil-device, vigil-patient, else the topic names the source. */
    public void fromKafka(Exchange exchange) {
        var in = exchange.getIn();
        String source = first(kafkaHeader(in.getHeader("vigil-source")), in.getHeader("kafka.TOPIC", String.class));
        enter(exchange, "kafka", source, kafkaHeader(in.getHeader("vigil-device")), kafkaHeader(in.getHeader("vigil-patient")),
                in.getBody(byte[].class));
    }

    /** A quarantined payload moved back by POST /api/quarantine/rerun: the headers it was quarantined with. */
    public void fromRerun(Exchange exchange) {
        var in = exchange.getIn();
        enter(exchange, in.getHeader(IngestHeaders.PROTOCOL, "rerun", String.class), in.getHeader(SOURCE, String.class),
                in.getHeader(DEVICE, String.class), in.getHeader(PATIENT, String.class), in.getBody(byte[].class));
    }

    private void enter(Exchange exchange, String protocol, String source, String device, String patient, byte[] body) {
        var in = exchange.getIn();
        in.getHeaders().clear(); // nothing of the transport (cookies, credentials) travels on
        in.setHeader(IngestHeaders.PROTOCOL, protocol);
        in.setHeader(SOURCE, source != null && SAFE.matcher(source).matches() ? source : "unnamed");
        if (device != null && !device.isBlank()) {
            in.setHeader(DEVICE, device.strip());
        }
        if (patient != null && !patient.isBlank()) {
            in.setHeader(PATIENT, patient.strip());
        }
        in.setBody(body == null ? new byte[0] : body);
    }

    /**
     * Maps the payload. Sets exchange properties: {@code vigilBatch} (canonical batch JSON, when there are
     * observations), {@code vigilQuarantineReason} (when no mapping applies or records were refused) and
     * {@code vigilSummary} (the HTTP reply).
     */
    public void map(Exchange exchange) throws JsonProcessingException {
        var in = exchange.getIn();
        byte[] payload = in.getBody(byte[].class);
        String sha256 = Hashes.sha256(payload);
        in.setHeader(IngestHeaders.PAYLOAD_SHA256, sha256);
        IngestContext context = new IngestContext(in.getHeader(IngestHeaders.PROTOCOL, String.class),
                in.getHeader(SOURCE, String.class), in.getHeader(DEVICE, String.class), in.getHeader(PATIENT, String.class),
                Instant.now());
        payloads.incrementAndGet();
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("payloadSha256", sha256);
        if (payload.length > maxPayloadBytes) {
            quarantine(exchange, context, null, "VIGIL-MAP-005 payload of " + payload.length
                    + " bytes exceeds vigil.vendors.max-payload-bytes (" + maxPayloadBytes + ")", summary);
            summary.put("status", 413);
            exchange.setProperty(SUMMARY, summary);
            return;
        }
        VendorMappings.Snapshot snapshot = mappings.snapshot();
        try {
            VendorMappings.Selection selection = mappings.select(snapshot, payload, context);
            MappingResult result = snapshot.mapper().map(selection.mapping(), selection.root(), sha256, context);
            String mapping = selection.mapping().name() + "@" + selection.mapping().version();
            summary.put("mapping", mapping);
            summary.put("records", result.records());
            summary.put("observations", result.batch().observations().size());
            summary.put("ignored", result.ignored().stream().map(MappingResult.Problem::toString).toList());
            in.setHeader(MAPPING, mapping);
            if (!result.batch().observations().isEmpty()) {
                exchange.setProperty(BATCH, CanonicalJson.MAPPER.writeValueAsString(result.batch()));
                in.setHeader(IngestHeaders.CONTROL_ID, result.batch().source().messageControlId());
                in.setHeader(IngestHeaders.SENDER, result.batch().source().sender());
                in.setHeader(IngestHeaders.OBSERVATION_COUNT, result.batch().observations().size());
                observations.addAndGet(result.batch().observations().size());
            }
            ignoredValues.addAndGet(result.ignored().size());
            if (!result.complete()) {
                rejectedRecords.addAndGet(result.rejected().size());
                summary.put("rejected", result.rejected().stream().map(MappingResult.Problem::toString).toList());
                quarantine(exchange, context, mapping, "VIGIL-MAP-003 mapping " + mapping + " refused "
                        + result.rejected().size() + " of " + result.records() + " record(s): "
                        + String.join("; ", result.rejected().stream().map(MappingResult.Problem::toString).toList()), summary);
            } else if (result.batch().observations().isEmpty() && result.ignored().isEmpty()) {
                quarantine(exchange, context, mapping, "VIGIL-MAP-004 mapping " + mapping + " found no value in "
                        + result.records() + " record(s)", summary);
            }
            boolean nothingCharted = result.batch().observations().isEmpty();
            summary.put("status", exchange.getProperty(QUARANTINE) != null && nothingCharted ? 422 : 202);
        } catch (io.vigil.ingest.InvalidPayloadException e) {
            String reason = e.getMessage().startsWith("match: ") ? e.getMessage().substring(7) : "VIGIL-MAP-002 " + e.getMessage();
            quarantine(exchange, context, null, reason, summary);
            summary.put("status", 422);
        }
        exchange.setProperty(SUMMARY, summary);
    }

    private void quarantine(Exchange exchange, IngestContext context, String mapping, String reason,
                            Map<String, Object> summary) {
        String bounded = reason.length() > 4000 ? reason.substring(0, 3997) + "..." : reason;
        exchange.setProperty(QUARANTINE, bounded);
        quarantined.incrementAndGet();
        summary.put("quarantined", bounded);
        String sha = exchange.getIn().getHeader(IngestHeaders.PAYLOAD_SHA256, String.class);
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("at", Instant.now().toString());
        entry.put("protocol", context.protocol());
        entry.put("source", context.source());
        entry.put("mapping", mapping);
        entry.put("payloadSha256", sha);
        entry.put("reason", bounded);
        synchronized (latest) {
            latest.addFirst(entry);
            while (latest.size() > latestReasons) {
                latest.removeLast();
            }
        }
        // the code and the hash only: reasons may quote what the payload held
        LOG.warn("Quarantined {} payload from source {} sha256 {}: {}", context.protocol(), context.source(),
                Hashes.shortForm(sha), reason.substring(0, Math.min(13, reason.length())));
    }

    /** Before the quarantine queue: the raw payload stays the body; the reason and context go in headers. */
    public void toQuarantine(Exchange exchange) {
        var in = exchange.getIn();
        in.setHeader(IngestHeaders.QUARANTINE_REASON, exchange.getProperty(QUARANTINE, String.class));
        in.setHeader(OUTCOME, "mapping");
        in.setHeader("VigilQuarantinedAt", Instant.now().toString());
    }

    /** Before the observations queue: the canonical batch is the body; the entry point's context is dropped. */
    public void toObservations(Exchange exchange) {
        var in = exchange.getIn();
        in.setBody(exchange.getProperty(BATCH, String.class));
        for (String header : List.of(IngestHeaders.QUARANTINE_REASON, OUTCOME, "VigilQuarantinedAt", PATIENT, DEVICE, SOURCE)) {
            in.removeHeader(header);
        }
    }

    /** The HTTP answer: 202 with what was made of the payload, 422 when all of it went to quarantine, 413 too large. */
    public void reply(Exchange exchange) throws JsonProcessingException {
        @SuppressWarnings("unchecked")
        Map<String, Object> summary = exchange.getProperty(SUMMARY, Map.class);
        int status = (Integer) summary.getOrDefault("status", 202);
        var in = exchange.getIn();
        in.getHeaders().clear();
        in.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        in.setHeader(Exchange.CONTENT_TYPE, "application/json");
        in.setBody(CanonicalJson.MAPPER.writeValueAsString(summary).getBytes(StandardCharsets.UTF_8));
    }

    public List<Map<String, Object>> latestQuarantined() {
        synchronized (latest) {
            return List.copyOf(latest);
        }
    }

    @ManagedAttribute(description = "Vendor payloads received")
    public long getPayloads() {
        return payloads.get();
    }

    @ManagedAttribute(description = "Canonical observations made from vendor payloads")
    public long getObservations() {
        return observations.get();
    }

    @ManagedAttribute(description = "Vendor payloads quarantined (no mapping, refused records, too large)")
    public long getQuarantined() {
        return quarantined.get();
    }

    @ManagedAttribute(description = "Records refused by a mapping (their payload is quarantined)")
    public long getRejectedRecords() {
        return rejectedRecords.get();
    }

    @ManagedAttribute(description = "Values the code maps mark to ignore (counted, not charted)")
    public long getIgnoredValues() {
        return ignoredValues.get();
    }

    @ManagedAttribute(description = "Latest quarantine reasons, newest first")
    public String[] getLatestReasons() {
        return latestQuarantined().stream().map(e -> e.get("at") + " " + e.get("source") + " " + e.get("reason"))
                .toArray(String[]::new);
    }

    private static String first(String a, String b) {
        return a != null && !a.isBlank() ? a : b;
    }

    private static String kafkaHeader(Object value) {
        if (value instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        return value == null ? null : value.toString();
    }
}
