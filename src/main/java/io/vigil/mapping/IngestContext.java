package io.vigil.mapping;

import java.time.Instant;

/**
 * What the entry point knows about a vendor payload besides its bytes: available to expressions as
 * {@code $source}, {@code $device} and {@code $patient}.
 *
 * @param protocol "http", "mqtt", "file" or "kafka"
 * @param source the {source} of the entry point: a mapping name, or a label when the match expressions choose
 * @param deviceId device id given by the entry point (MQTT topic, header or query parameter), may be null
 * @param patientId patient identifier given by the entry point, may be null
 */
public record IngestContext(String protocol, String source, String deviceId, String patientId, Instant receivedAt) {
}
