package io.vigil.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.support.Samples;
import io.vigil.support.TestPipeline;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FastSinkTest {

    private static final ObjectMapper STRICT = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    @Test
    void aTransactionBundleShouldBeCountedAndAnythingElseRefused() throws Exception {
        String bundle = TestPipeline.BUNDLES.toJson(TestPipeline.bundle(TestPipeline.extract(Samples.hl7("04"))));

        assertThatCode(() -> check(bundle)).doesNotThrowAnyException();
        assertThatThrownBy(() -> check("{\"resourceType\": \"Bundle\", \"type\": \"transaction\"}"))
                .isInstanceOf(EhrRejectedException.class).hasMessageContaining("with entries");
        assertThatThrownBy(() -> check("{\"resourceType\": \"Patient\"}")).isInstanceOf(EhrRejectedException.class);
        assertThatThrownBy(() -> check("not json")).isInstanceOf(EhrRejectedException.class)
                .hasMessageStartingWith("VIGIL-DLV-003 fast sink: not JSON");
        assertThatThrownBy(() -> check(bundle.substring(0, bundle.length() - 2))).isInstanceOf(EhrRejectedException.class)
                .hasMessageStartingWith("VIGIL-DLV-003 fast sink: not JSON");
        assertThatThrownBy(() -> check(bundle + "{}")).isInstanceOf(EhrRejectedException.class)
                .hasMessageContaining("content after the bundle");
        assertThatThrownBy(() -> check("{\"resourceType\": \"Bundle\", \"type\": \"transaction\", \"entry\": []}"))
                .isInstanceOf(EhrRejectedException.class).hasMessageContaining("with entries");
        assertThatThrownBy(() -> check("{\"resourceType\": \"Bundle\", \"type\": \"batch\", \"entry\": [{}]}"))
                .isInstanceOf(EhrRejectedException.class);
        assertThatThrownBy(() -> check("[1, 2]")).isInstanceOf(EhrRejectedException.class)
                .hasMessageContaining("not a transaction Bundle");
    }

    @Test
    void namesAndValuesShouldBeReadWithTheirEscapesAndTheLastOfTwinNamesCount() {
        assertThatCode(() -> check("{\"resource\\u0054ype\":\"Bun\\u0064le\",\"type\":\"transaction\","
                + "\"entry\":[{\"a\":[1,-2.5e+3,0.1,true,false,null,\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"]}]}"))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> check("{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{}],"
                + "\"entry\":{}}")).hasMessageContaining("not a transaction Bundle");
        assertThatThrownBy(() -> check("{\"resourceType\":\"Bundle\",\"type\":7,\"entry\":[{}]}"))
                .hasMessageContaining("not a transaction Bundle");
        assertThatCode(() -> check(" \r\n\t{ \"resourceType\" : \"Bundle\" , \"type\" : \"transaction\" , "
                + "\"entry\" : [ { } , [ ] ] } \n")).doesNotThrowAnyException();
    }

    @Test
    void whatStrictJsonRefusesShouldBeRefusedWithWhereItWent() {
        String entries = "\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[";
        for (String bad : List.of("01", "1.", "-", ".5", "1e", "+1", "NaN", "tru", "nul", "'a'", "\"a\tb\"", "\"\\x\"",
                "\"\\u12g4\"", "[1,]", "{\"a\":1,}", "{\"a\"}", "{a:1}", "[1 2]", "\"open")) {
            assertThatThrownBy(() -> check("{" + entries + bad + "]}")).as(bad)
                    .hasMessageStartingWith("VIGIL-DLV-003 fast sink: not JSON: ").hasMessageContaining("at byte");
        }
        assertThatThrownBy(() -> check("{" + entries + "[".repeat(200) + "]".repeat(200) + "]}"))
                .hasMessageContaining("nested deeper than " + FastSink.MOST_DEPTH);
        assertThatThrownBy(() -> check("")).hasMessageContaining("unexpected end");
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

    @Test
    void textBeyondAsciiShouldBeTakenAsUtf8AndBrokenUtf8Refused() {
        String head = "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{\"display\":\"";
        String tail = "\"}]}";
        for (String fine : List.of("Zo\u00eb", "\u00c5sa \u6771\u4eac", "\u0938\u0902", "\ud83d\ude42 \ud800\udc00 \udbff\udfff")) {
            assertThatCode(() -> check(head + fine + tail)).as(fine).doesNotThrowAnyException();
        }
        // a continuation byte alone, an overlong '/', an overlong NUL, a UTF-16 surrogate, beyond U+10FFFF, a lead
        // byte never used, a sequence cut short, a cut short one before the closing quote
        for (int[] bad : new int[][] {{0x80}, {0xC0, 0xAF}, {0xE0, 0x80, 0x80}, {0xED, 0xA0, 0x80}, {0xF4, 0x90, 0x80, 0x80},
                {0xF5, 0x80, 0x80, 0x80}, {0xE2, 0x82}, {0xC3}}) {
            byte[] doc = concat(head.getBytes(StandardCharsets.UTF_8), bad, tail.getBytes(StandardCharsets.UTF_8));
            assertThatThrownBy(() -> FastSink.check(doc)).as(java.util.Arrays.toString(bad))
                    .hasMessage("VIGIL-DLV-003 fast sink: not JSON: not UTF-8 at byte " + head.length());
        }
        assertThatThrownBy(() -> check("{\"resourceType\":\"Bundle\",\u00a0\"type\":\"transaction\",\"entry\":[{}]}"))
                .hasMessageContaining("found byte 0xC2 at byte 25");
    }

    /**
     * Damaged copies of a bundle with text beyond ASCII, damaged byte by byte: the sink calls them JSON in UTF-8
     * exactly when Java's strict UTF-8 decoder and a strict JSON parser do.
     */
    @Test
    void theVerdictOnBytesShouldBeAStrictDecoderAndParsersVerdict() {
        String text = "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{\"resource\":{\"name\":"
                + "[{\"text\":\"Zo\u00eb \u00c5sa \u6771\u4eac \ud83d\ude42\"}],\"valueQuantity\":{\"value\":36.6,\"unit\":\"Cel\"}}}]}";
        byte[] bundle = text.getBytes(StandardCharsets.UTF_8);
        Random random = new Random(20261206);
        int[] alphabet = {'"', '\\', '{', '}', ':', ',', '0', 'e', 0x00, 0x7F, 0x80, 0xBF, 0xC0, 0xC3, 0xE0, 0xED, 0xF0, 0xF4, 0xF8, 0xFF};
        int json = 0;
        int notJson = 0;
        for (int k = 0; k < 6000; k++) {
            int at = random.nextInt(bundle.length);
            byte b = (byte) alphabet[random.nextInt(alphabet.length)];
            byte[] damaged = switch (k % 3) {
                case 0 -> concat(java.util.Arrays.copyOfRange(bundle, 0, at), java.util.Arrays.copyOfRange(bundle, at + 1, bundle.length));
                case 1 -> {
                    byte[] copy = bundle.clone();
                    copy[at] = b;
                    yield copy;
                }
                default -> concat(java.util.Arrays.copyOfRange(bundle, 0, at), new byte[] {b}, java.util.Arrays.copyOfRange(bundle, at, bundle.length));
            };
            String decoded = strictUtf8(damaged);
            boolean strict = decoded != null && isJson(decoded);
            String verdict = verdict(damaged);
            if (strict) {
                json++;
                assertThat(verdict).as(decoded).doesNotStartWith("VIGIL-DLV-003 fast sink: not JSON");
            } else {
                notJson++;
                assertThat(verdict).as(java.util.Arrays.toString(damaged)).startsWith("VIGIL-DLV-003 fast sink: not JSON");
            }
        }
        assertThat(json).as("damaged copies still JSON in UTF-8").isGreaterThan(300);
        assertThat(notJson).as("damaged copies no longer JSON in UTF-8").isGreaterThan(3000);
    }

    /**
     * The word-at-a-time look at a string's bytes: every byte value at every place among plain ones, and random words
     * (plain bytes and the ones that end a run mixed), each against a byte-by-byte look; the first byte marked is the
     * first that needs a closer look, and a word is passed over only when none does.
     */
    @Test
    void eightBytesAtATimeShouldFindTheFirstByteAByteByByteLookFinds() {
        Random random = new Random(20261207);
        byte[] word = new byte[Long.BYTES];
        for (int k = 0; k < 200_000; k++) {
            if (k < 256 * Long.BYTES) {
                java.util.Arrays.fill(word, (byte) 'a');
                word[k / 256] = (byte) (k % 256);
            } else {
                for (int b = 0; b < word.length; b++) {
                    word[b] = (byte) (random.nextInt(4) == 0 ? random.nextInt(256) : 0x20 + random.nextInt(0x5F));
                }
            }
            long found = FastSink.special(ByteBuffer.wrap(word).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong());
            int first = -1;
            for (int b = 0; b < word.length && first < 0; b++) {
                int c = word[b] & 0xFF;
                if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80) {
                    first = b;
                }
            }
            String shown = java.util.Arrays.toString(word);
            if (first < 0) {
                assertThat(found).as(shown).isZero();
            } else {
                assertThat(Long.numberOfTrailingZeros(found) >>> 3).as(shown).isEqualTo(first);
            }
        }
    }

    private static String strictUtf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static byte[] concat(byte[] first, int[] middle, byte[] last) {
        byte[] mid = new byte[middle.length];
        for (int k = 0; k < middle.length; k++) {
            mid[k] = (byte) middle[k];
        }
        return concat(first, mid, last);
    }

    private static byte[] concat(byte[]... parts) {
        int size = 0;
        for (byte[] part : parts) {
            size += part.length;
        }
        byte[] out = new byte[size];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        return out;
    }

    /** The sink's check of a text, as delivery holds it: UTF-8 bytes. */
    private static void check(String text) {
        FastSink.check(text.getBytes(StandardCharsets.UTF_8));
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
        return verdict(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String verdict(byte[] bytes) {
        try {
            FastSink.check(bytes);
            return "accepted";
        } catch (EhrRejectedException e) {
            return e.getMessage();
        }
    }
}
