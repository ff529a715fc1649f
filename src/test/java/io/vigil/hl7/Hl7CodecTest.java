package io.vigil.hl7;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.hl7v2.AcknowledgmentCode;
import ca.uhn.hl7v2.ErrorCode;
import io.vigil.support.Samples;
import io.vigil.support.TestPipeline;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Hl7CodecTest {

    private final Hl7Codec codec = TestPipeline.CODEC;

    @Test
    void shouldAcknowledgeWithAckR01AndEchoControlId() throws Exception {
        String ack = codec.accept(codec.parse(Samples.hl7("04")));

        assertThat(ack).contains("|ACK^R01^ACK|");
        assertThat(ack).contains("MSA|AA|0104ef190d604db188c3");
    }

    @Test
    void shouldNakWithErrSegmentForRejectedMessage() throws Exception {
        var message = codec.parse(Samples.hl7("10"));
        var rejection = new Hl7Rejection(AcknowledgmentCode.AR, ErrorCode.UNSUPPORTED_MESSAGE_TYPE,
                "VIGIL-HL7-004", "MSH-9", "not accepted");

        String nak = codec.reject(message, null, rejection);

        assertThat(nak).contains("MSA|AR|");
        assertThat(nak).containsPattern("ERR\\|[^\\r]*VIGIL-HL7-004: not accepted at MSH-9");
    }

    @Test
    void shouldNakGarbageWithoutEchoingIt() {
        String garbage = "\u0000\u0001 this is not HL7 at all";
        assertThatThrownBy(() -> codec.parse(garbage)).isInstanceOfSatisfying(Hl7Rejection.class, r -> {
            String nak = codec.reject(null, garbage, r);
            assertThat(nak).startsWith("MSH|").contains("MSA|AR").contains("VIGIL-HL7-001");
        });
    }

    @Test
    void shouldNakUnparseableBodyEchoingControlIdFromMsh() {
        String broken = "MSH|^~\\&|DEV||||20240101000000||ORU^R01^ORU_R01|CTRL42|P|2.6\rOBX|1|NM|\u0000bad^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^";
        Hl7Rejection rejection = new Hl7Rejection(AcknowledgmentCode.AR, ErrorCode.APPLICATION_INTERNAL_ERROR,
                "VIGIL-HL7-002", null, "parse error");
        String nak = codec.reject(null, broken, rejection);
        assertThat(nak).contains("MSA|AR|CTRL42");
    }

    @Test
    void shouldDecodeFrameInTheCharsetMsh18Names() {
        String text = "MSH|^~\\&|A|B|||20240101||ORU^R01|1|P|2.6||||||8859/1\rPID|||x||M\u00fcller";
        byte[] latin1 = text.getBytes(StandardCharsets.ISO_8859_1);

        assertThat(codec.decode(latin1)).contains("M\u00fcller");
    }
}
