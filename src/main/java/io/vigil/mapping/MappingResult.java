package io.vigil.mapping;

import io.vigil.model.ObservationBatch;
import java.util.List;

/**
 * What a mapping made of one payload: the canonical observations, the records it refused (quarantined with
 * their reason; the others go on) and the values the code maps say to ignore (counted and listed, never dropped
 * without a word).
 */
public record MappingResult(MappingDefinition mapping, ObservationBatch batch, int records, List<Problem> rejected,
                            List<Problem> ignored) {

    /**
     * @param record index of the record in the payload (0-based)
     * @param value the value of the mapping concerned, null for the whole record
     */
    public record Problem(int record, String value, String reason) {

        @Override
        public String toString() {
            return "record " + record + (value == null ? "" : " " + value) + ": " + reason;
        }
    }

    /** Whether every record was read. */
    public boolean complete() {
        return rejected.isEmpty();
    }
}
