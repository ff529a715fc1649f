package io.vigil.ingest;

import ca.uhn.hl7v2.AcknowledgmentCode;
import ca.uhn.hl7v2.ErrorCode;
import io.vigil.hl7.Hl7Codec;
import io.vigil.hl7.Hl7Rejection;
import io.vigil.hl7.Pcd01Extractor;
import io.vigil.fhir.FhirProcessing;
import io.vigil.model.ObservationBatch;
import io.vigil.mllp.MllpListener;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jmx.export.annotation.ManagedAttribute;
import org.springframework.jmx.export.annotation.ManagedResource;
import org.springframework.stereotype.Component;

/**
 * The steps of route ingest-hl7: read a frame into a batch of canonical observations (or a NAK saying why not),
 * and acknowledge only after the route stored durably what came of it (the bundle on the delivery queue, or the
 * batch on the hold, quarantine or processing dead-letter queue).
 */
@Component("hl7Ingest")
@ManagedResource(objectName = "io.vigil:type=Ingest,name=hl7", description = "HL7 v2 over MLLP")
public class Hl7Ingest {

    private static final String PARSED = "vigil.hl7.message";
    /** The charset of the message, which its answer is written in. */
    private static final String CHARSET = "vigil.hl7.charset";
    private static final Logger LOG = LoggerFactory.getLogger(Hl7Ingest.class);

    private final Hl7Codec codec;
    private final Pcd01Extractor extractor;
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong storeFailures = new AtomicLong();
    private final AtomicLong waveformRowsSkipped = new AtomicLong();

    private final int maxMessageBytes;

    public Hl7Ingest(Hl7Codec codec, Pcd01Extractor extractor, io.vigil.config.VigilProperties properties) {
        this.codec = codec;
        this.extractor = extractor;
        Integer max = properties.mllp().maxMessageBytes();
        this.maxMessageBytes = max == null ? Integer.MAX_VALUE : max;
    }

    /**
     * Body byte[] frame in; out, the batch in exchange property {@link FhirProcessing#BATCH} with header VigilAccepted,
     * or the NAK set and the header false.
     */
    public void read(Exchange exchange) {
        byte[] frame = exchange.getIn().getBody(byte[].class);
        String sha256 = Hashes.sha256(frame);
        Charset charset = codec.charset(frame);
        exchange.setProperty(CHARSET, charset);
        String text = new String(frame, charset);
        Hl7Codec.Inbound message = null;
        try {
            if (frame.length > maxMessageBytes) {
                throw new Hl7Rejection(AcknowledgmentCode.AR, ErrorCode.APPLICATION_INTERNAL_ERROR, "VIGIL-HL7-011", null,
                        "message of " + frame.length + " bytes exceeds vigil.mllp.max-message-bytes (" + maxMessageBytes + ")");
            }
            message = codec.read(text);
            exchange.setProperty(PARSED, message);
            ObservationBatch batch = extractor.extract(message, Instant.now(), sha256);
            exchange.setProperty(FhirProcessing.BATCH, batch);
            exchange.getIn().setHeader(IngestHeaders.ACCEPTED, true);
            exchange.getIn().setHeader(IngestHeaders.CONTROL_ID, batch.source().messageControlId());
            exchange.getIn().setHeader(IngestHeaders.SENDER, batch.source().sender());
            exchange.getIn().setHeader(IngestHeaders.PAYLOAD_SHA256, sha256);
            exchange.getIn().setHeader(IngestHeaders.PROTOCOL, Pcd01Extractor.PROTOCOL);
            exchange.getIn().setHeader(IngestHeaders.OBSERVATION_COUNT, batch.observations().size());
            waveformRowsSkipped.addAndGet(batch.skippedWaveforms());
        } catch (Hl7Rejection rejection) {
            rejected.incrementAndGet();
            exchange.getIn().setHeader(IngestHeaders.ACCEPTED, false);
            answer(exchange, codec.reject(message, text, rejection));
            LOG.warn("NAK {} {} at {} for HL7 message sha256 {}", rejection.ackCode(), rejection.vigilCode(),
                    rejection.location() == null ? "-" : rejection.location(), Hashes.shortForm(sha256));
        }
    }

    /** MSA|AA, sent once what came of the message is on a durable queue. */
    public void acknowledge(Exchange exchange) {
        answer(exchange, codec.accept(exchange.getProperty(PARSED, Hl7Codec.Inbound.class)));
        accepted.incrementAndGet();
        LOG.debug("ACK {} ({} observations)", exchange.getIn().getHeader(IngestHeaders.CONTROL_ID),
                exchange.getIn().getHeader(IngestHeaders.OBSERVATION_COUNT));
    }

    /** The message could not be stored: NAK AE so that the sender keeps it and sends it again. */
    public void storeFailed(Exchange exchange) {
        storeFailures.incrementAndGet();
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        Hl7Rejection rejection = new Hl7Rejection(AcknowledgmentCode.AE, ErrorCode.APPLICATION_INTERNAL_ERROR,
                "VIGIL-HL7-010", null, "the message could not be stored; send it again");
        answer(exchange, codec.reject(exchange.getProperty(PARSED, Hl7Codec.Inbound.class), null, rejection));
        LOG.error("NAK AE VIGIL-HL7-010 for control id {}: store failed: {}",
                exchange.getIn().getHeader(IngestHeaders.CONTROL_ID), cause == null ? "unknown" : cause.toString());
    }

    /** The answer the MLLP listener sends, in the charset of the message it answers. */
    private static void answer(Exchange exchange, String answer) {
        Charset charset = exchange.getProperty(CHARSET, StandardCharsets.ISO_8859_1, Charset.class);
        exchange.setProperty(MllpListener.ANSWER, answer.getBytes(charset));
    }

    @ManagedAttribute(description = "Messages ACKed (AA) after durable store")
    public long getAccepted() {
        return accepted.get();
    }

    @ManagedAttribute(description = "Messages refused with a NAK (AE/AR)")
    public long getRejected() {
        return rejected.get();
    }

    @ManagedAttribute(description = "Messages NAKed because the durable store failed")
    public long getStoreFailures() {
        return storeFailures.get();
    }

    @ManagedAttribute(description = "Sampled waveform OBX rows counted and not kept")
    public long getWaveformRowsSkipped() {
        return waveformRowsSkipped.get();
    }
}
