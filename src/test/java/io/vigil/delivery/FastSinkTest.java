package io.vigil.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.support.Samples;
import io.vigil.support.TestPipeline;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FastSinkTest {

    private static final ObjectMapper STRICT = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

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
        assertThatThrownBy(() -> FastSink.check("[1, 2]")).isInstanceOf(EhrRejectedException.class)
                .hasMessageContaining("not a transaction Bundle");
    }

    @Test
    void namesAndValuesShouldBeReadWithTheirEscapesAndTheLastOfTwinNamesCount() {
        assertThatCode(() -> FastSink.check("{\"resource\\u0054ype\":\"Bun\\u0064le\",\"type\":\"transaction\","
                + "\"entry\":[{\"a\":[1,-2.5e+3,0.1,true,false,null,\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"]}]}"))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> FastSink.check("{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{}],"
                + "\"entry\":{}}")).hasMessageContaining("not a transaction Bundle");
        assertThatThrownBy(() -> FastSink.check("{\"resourceType\":\"Bundle\",\"type\":7,\"entry\":[{}]}"))
                .hasMessageContaining("not a transaction Bundle");
        assertThatCode(() -> FastSink.check(" \r\n\t{ \"resourceType\" : \"Bundle\" , \"type\" : \"transaction\" , "
                + "\"entry\" : [ { } , [ ] ] } \n")).doesNotThrowAnyException();
    }

    @Test
    void whatStrictJsonRefusesShouldBeRefusedWithWhereItWent() {
        String entries = "\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[";
        for (String bad : List.of("01", "1.", "-", ".5", "1e", "+1", "NaN", "tru", "nul", "'a'", "\"a\tb\"", "\"\\x\"",
                "\"\\u12g4\"", "[1,]", "{\"a\":1,}", "{\"a\"}", "{a:1}", "[1 2]", "\"open")) {
            assertThatThrownBy(() -> FastSink.check("{" + entries + bad + "]}")).as(bad)
                    .hasMessageStartingWith("VIGIL-DLV-003 fast sink: not JSON: ").hasMessageContaining("character");
        }
        assertThatThrownBy(() -> FastSink.check("{" + entries + "[".repeat(200) + "]".repeat(200) + "]}"))
                .hasMessageContaining("nested deeper than " + FastSink.MOST_DEPTH);
        assertThatThrownBy(() -> FastSink.check("")).hasMessageContaining("unexpected end");
    }

    /** Damaged copies of a real bundle: the sink calls a text JSON exactly when a strict JSON parser does. */
    @Test
    void theVerdictOnDamagedBundlesShouldBeAStrictParsersVerdict() throws Exception {
        String bundle = TestPipeline.BUNDLES.toJson(TestPipeline.bundle(TestPipeline.extract(Samples.hl7("04"))));
        Random random = new Random(20261202);
        String alphabet = "{}[]\":,.-+0123456789eE \\/utnflrsa\t\u0001";
        List<String> damaged = new ArrayList<>();
        for (int cut = 0; cut < bundle.length(); cut += 7) {
            damaged.add(bundle.substring(0, cut));
        }
        for (int k = 0; k < 3000; k++) {
            int at = random.nextInt(bundle.length());
            char c = alphabet.charAt(random.nextInt(alphabet.length()));
            damaged.add(switch (k % 3) {
                case 0 -> bundle.substring(0, at) + bundle.substring(at + 1);
                case 1 -> bundle.substring(0, at) + c + bundle.substring(at + 1);
                default -> bundle.substring(0, at) + c + bundle.substring(at);
            });
        }
        int json = 0;
        int notJson = 0;
        for (String text : damaged) {
            boolean strict = isJson(text);
            String verdict = verdict(text);
            if (strict) {
                json++;
                assertThat(verdict).as(text).doesNotStartWith("VIGIL-DLV-003 fast sink: not JSON");
            } else {
                notJson++;
                assertThat(verdict).as(text).startsWith("VIGIL-DLV-003 fast sink: not JSON");
            }
        }
        assertThat(json).as("damaged copies still JSON").isGreaterThan(100);
        assertThat(notJson).as("damaged copies no longer JSON").isGreaterThan(1000);
    }

    private static boolean isJson(String text) {
        if (text.isBlank()) {
            return false;
        }
        try {
            STRICT.readTree(text);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static String verdict(String text) {
        try {
            FastSink.check(text);
            return "accepted";
        } catch (EhrRejectedException e) {
            return e.getMessage();
        }
    }
}
