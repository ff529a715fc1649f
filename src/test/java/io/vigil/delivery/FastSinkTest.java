package io.vigil.delivery;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.support.Samples;
import io.vigil.support.TestPipeline;
import org.junit.jupiter.api.Test;

class FastSinkTest {

    @Test
    void aTransactionBundleShouldBeCountedAndAnythingElseRefused() throws Exception {
        String bundle = TestPipeline.BUNDLES.toJson(TestPipeline.bundle(TestPipeline.extract(Samples.hl7("04"))));

        assertThatCode(() -> FastSink.check(bundle)).doesNotThrowAnyException();
        assertThatThrownBy(() -> FastSink.check("{\"resourceType\": \"Bundle\", \"type\": \"transaction\"}"))
                .isInstanceOf(EhrRejectedException.class).hasMessageContaining("with entries");
        assertThatThrownBy(() -> FastSink.check("{\"resourceType\": \"Patient\"}")).isInstanceOf(EhrRejectedException.class);
        assertThatThrownBy(() -> FastSink.check("not json")).isInstanceOf(EhrRejectedException.class)
                .hasMessageStartingWith("VIGIL-DLV-003 fast sink: not JSON");
        assertThatThrownBy(() -> FastSink.check(bundle.substring(0, bundle.length() - 2))).isInstanceOf(EhrRejectedException.class)
                .hasMessageStartingWith("VIGIL-DLV-003 fast sink: not JSON");
        assertThatThrownBy(() -> FastSink.check(bundle + "{}")).isInstanceOf(EhrRejectedException.class)
                .hasMessageContaining("content after the bundle");
        assertThatThrownBy(() -> FastSink.check("{\"resourceType\": \"Bundle\", \"type\": \"transaction\", \"entry\": []}"))
                .isInstanceOf(EhrRejectedException.class).hasMessageContaining("with entries");
        assertThatThrownBy(() -> FastSink.check("{\"resourceType\": \"Bundle\", \"type\": \"batch\", \"entry\": [{}]}"))
                .isInstanceOf(EhrRejectedException.class);
        assertThatThrownBy(() -> FastSink.check("[1, 2]")).isInstanceOf(EhrRejectedException.class);
    }
}
