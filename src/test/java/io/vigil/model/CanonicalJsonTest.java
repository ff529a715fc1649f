package io.vigil.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.support.Samples;
import io.vigil.support.TestPipeline;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CanonicalJsonTest {

    @ParameterizedTest
    @ValueSource(strings = {"01", "02", "03", "04", "05"})
    void shouldRoundTripABatchThroughTheQueueFormatUnchanged(String sample) throws Exception {
        ObservationBatch batch = TestPipeline.extract(Samples.hl7(sample));

        String json = CanonicalJson.MAPPER.writeValueAsString(batch);
        ObservationBatch back = CanonicalJson.MAPPER.readValue(json, ObservationBatch.class);

        assertThat(back).isEqualTo(batch);
    }

    @ParameterizedTest
    @ValueSource(strings = {"01", "04"})
    void shouldKeepTheSendersOffsetOfEveryTime(String sample) throws Exception {
        ObservationBatch batch = TestPipeline.extract(Samples.hl7(sample));
        ObservationBatch back = CanonicalJson.MAPPER.readValue(CanonicalJson.MAPPER.writeValueAsString(batch), ObservationBatch.class);

        List<String> sent = batch.observations().stream().map(o -> o.effective().getOffset().getId()).toList();
        assertThat(back.observations()).extracting(o -> o.effective().getOffset().getId()).isEqualTo(sent);
    }
}
