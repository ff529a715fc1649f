package io.vigil.model;

import java.time.Instant;

/**
 * Where an observation came from.
 *
 * @param protocol "hl7v2-mllp", "mqtt", ...
 * @param sender sending application or gateway (MSH-3, or the MQTT device id)
 * @param messageControlId MSH-10, or the message id of a JSON payload
 * @param processingId MSH-11 (P production, D debugging, T training)
 * @param payloadSha256 hex SHA-256 of the raw payload as received
 */
public record Source(String protocol, String sender, String messageControlId, String processingId,
                     Instant receivedAt, String payloadSha256) {

    /** The source message across Vigil's records (Provenance, AuditEvent): protocol:sender:control id. */
    public String messageId() {
        return protocol + ":" + sender + ":" + messageControlId;
    }
}
