package io.vigil.model;

import java.util.List;

/**
 * The observations of one source message, as stored on the durable queue after ingest.
 *
 * @param skippedWaveforms sampled waveform rows (OBX-2 NA) that were counted and not kept
 * @param skippedRows other rows that were not observations (device descriptions, attributes)
 */
public record ObservationBatch(Source source, List<DeviceObservation> observations,
                               int skippedWaveforms, int skippedRows) {
}
