package io.vigil.hl7;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Hl7CharsetsTest {

    private static final Charset FALLBACK = StandardCharsets.ISO_8859_1;

    private static Charset of(String message) {
        return Hl7Charsets.fromMsh18(message.getBytes(StandardCharsets.ISO_8859_1), FALLBACK);
    }

    @Test
    void shouldReadTheCharacterSetFromMsh18() {
        String head = "MSH|^~\\&|MON|WARD|VIGIL|HOSP|20261206120000||ORU^R01^ORU_R01|MSG1|P|2.6|||AL|NE||";
        assertThat(of(head + "UNICODE UTF-8|||\rPID|||1")).isEqualTo(StandardCharsets.UTF_8);
        assertThat(of(head + "UNICODE UTF-8\rPID|||1")).isEqualTo(StandardCharsets.UTF_8);
        assertThat(of(head + "unicode\nPID|||1")).isEqualTo(StandardCharsets.UTF_8);
        assertThat(of(head + "ASCII")).isEqualTo(StandardCharsets.US_ASCII);
        assertThat(of(head + "8859/15|")).isEqualTo(Charset.forName("ISO-8859-15"));
        assertThat(of(head + " UNICODE UTF-8 |")).isEqualTo(StandardCharsets.UTF_8);
    }

    @Test
    void shouldFallBackWithoutAKnownMsh18() {
        String head = "MSH|^~\\&|MON|WARD|VIGIL|HOSP|20261206120000||ORU^R01^ORU_R01|MSG1|P|2.6|||AL|NE||";
        assertThat(of(head + "|||")).isEqualTo(FALLBACK);
        assertThat(of(head + "  |")).isEqualTo(FALLBACK);
        assertThat(of(head + "EBCDIC")).isEqualTo(FALLBACK);
        assertThat(of("MSH|^~\\&|MON|WARD|VIGIL|HOSP|20261206120000||ORU^R01|MSG1|P|2.6\rZZZ|1|2|3|4|5|6|7|8|9|10|11|12|13|14|15|16|UTF-8"))
                .as("MSH-18 is looked for in the MSH segment only").isEqualTo(FALLBACK);
        assertThat(of("PID|^~\\&|MON|WARD|VIGIL|HOSP|20261206120000||ORU^R01^ORU_R01|MSG1|P|2.6|||AL|NE||UNICODE UTF-8"))
                .isEqualTo(FALLBACK);
        assertThat(of("MSH")).isEqualTo(FALLBACK);
        assertThat(of("MSH\rPID")).isEqualTo(FALLBACK);
        assertThat(of("")).isEqualTo(FALLBACK);
    }

    @Test
    void shouldUseTheMessagesOwnFieldSeparator() {
        assertThat(of("MSH#^~\\&#MON#WARD#VIGIL#HOSP#20261206120000##ORU^R01^ORU_R01#MSG1#P#2.6###AL#NE##UNICODE UTF-8"))
                .isEqualTo(StandardCharsets.UTF_8);
        assertThat(of("MSH#^~\\&#MON#WARD#VIGIL#HOSP#20261206120000##ORU^R01^ORU_R01#MSG1#P#2.6|||AL|NE||UNICODE UTF-8"))
                .isEqualTo(FALLBACK);
    }
}
