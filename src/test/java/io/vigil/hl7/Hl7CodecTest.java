package io.vigil.hl7;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.hl7v2.AcknowledgmentCode;
import ca.uhn.hl7v2.ErrorCode;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.parser.PipeParser;
import io.vigil.support.Samples;
import io.vigil.support.TestPipeline;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TimeZone;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class Hl7CodecTest {

    private final Hl7Codec codec = TestPipeline.CODEC;

    /** MSH-7 of an acknowledgement as HAPI writes it: milliseconds and the offset of the appliance's zone. */
    private static final DateTimeFormatter ACK_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss.SSSZ");

    @Test
    void shouldAcknowledgeWithAckR01AndEchoControlId() throws Exception {
        String ack = codec.accept(codec.parse(Samples.hl7("04")));

        assertThat(ack).contains("|ACK^R01^ACK|");
        assertThat(ack).contains("MSA|AA|0104ef190d604db188c3");
    }

    @Test
    void ackWrittenDirectlyShouldBeWhatHapiWritesButForTimeAndControlId() throws Exception {
        List<String> messages = new ArrayList<>();
        for (String sample : List.of("01", "02", "03", "04", "05", "06", "09", "10", "11", "12")) {
            messages.add(Samples.hl7(sample));
        }
        for (String version : List.of("2.3", "2.4", "2.5", "2.5.1", "2.6", "2.7")) {
            messages.add(Samples.hl7("04").replace("|P|2.6|", "|P|" + version + "|"));
        }
        messages.add(Samples.hl7("04").replace("ORU^R01^ORU_R01", "ORU^R01"));
        messages.add(Samples.hl7("04").replace("|ACME Healthcare|", "||"));
        int direct = 0;
        for (String text : messages) {
            Message inbound = codec.parse(text);
            String ours = Hl7Codec.acceptDirectly(inbound);
            String hapi;
            try {
                hapi = new PipeParser().encode(inbound.generateACK());
            } catch (HL7Exception e) {
                // e.g. sample 09's MSH-2 of five characters: HAPI cannot echo it, and neither do we
                assertThat(ours).as(text.substring(0, 80)).isNull();
                continue;
            }
            if (ours != null) {
                direct++;
                assertThat(withoutTimeAndId(ours)).as(text.substring(0, 80)).isEqualTo(withoutTimeAndId(hapi));
                assertThat(ours.split("\\|")[6]).matches("\\d{14}\\.\\d{3}[+-]\\d{4}");
            }
        }
        assertThat(direct).as("acknowledgements written directly").isGreaterThanOrEqualTo(messages.size() - 2);
    }

    /**
     * The time formatted once a second, the milliseconds added: the same text as the formatter for every instant, in
     * zones with whole, half-hour and changing offsets (across the change to summer time in Paris and St. John's).
     */
    @Test
    void ackTimeShouldBeWhatTheFormatterWrites() {
        TimeZone zone = TimeZone.getDefault();
        try {
            for (String id : List.of("UTC", "Europe/Paris", "America/St_Johns", "Asia/Kolkata")) {
                TimeZone.setDefault(TimeZone.getTimeZone(id));
                for (Instant start : List.of(Instant.parse("2026-03-29T00:59:58.000Z"),
                        Instant.parse("2026-03-08T05:29:58.000Z"))) {
                    for (long millis : new long[] {0, 1, 9, 10, 99, 100, 999, 1_000, 1_005, 2_050, 3_999, 3_600_001}) {
                        for (Instant at : List.of(start.plusMillis(millis), start.plusMillis(millis).plusNanos(999_999))) {
                            assertThat(Hl7Codec.ackTime(at, new StringBuilder("x")).toString()).as(id + " " + at)
                                    .isEqualTo("x" + ACK_TIME.format(
                                            OffsetDateTime.ofInstant(at, ZoneId.systemDefault())));
                        }
                    }
                }
            }
        } finally {
            TimeZone.setDefault(zone);
        }
    }

    @Test
    void ackControlIdsShouldBeRandomVersion4Uuids() throws Exception {
        Message inbound = codec.parse(Samples.hl7("04"));
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String id = Hl7Codec.acceptDirectly(inbound).split("\\|")[9];
            UUID uuid = UUID.fromString(id);
            assertThat(uuid.version()).isEqualTo(4);
            assertThat(uuid.variant()).isEqualTo(2);
            ids.add(id);
        }
        assertThat(ids).hasSize(10_000);
    }

    @Test
    void valuesThatWouldNeedEscapingShouldBeLeftToHapi() throws Exception {
        Message inbound = codec.parse(Samples.hl7("04").replace("|ACME Healthcare|", "|ACME \\T\\ Sons|"));

        assertThat(Hl7Codec.acceptDirectly(inbound)).isNull();
        assertThat(codec.accept(inbound)).contains("|ACME \\T\\ Sons|").contains("MSA|AA|0104ef190d604db188c3");
    }

    private static String withoutTimeAndId(String ack) {
        String[] msh = ack.split("\r")[0].split("\\|", -1);
        msh[6] = "TIME";
        msh[9] = "ID";
        return String.join("|", msh) + ack.substring(ack.indexOf('\r'));
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
            String nak = codec.reject((Hl7Codec.Inbound) null, garbage, r);
            assertThat(nak).startsWith("MSH|").contains("MSA|AR").contains("VIGIL-HL7-001");
        });
    }

    @Test
    void shouldNakUnparseableBodyEchoingControlIdFromMsh() {
        String broken = "MSH|^~\\&|DEV||||20240101000000||ORU^R01^ORU_R01|CTRL42|P|2.6\rOBX|1|NM|\u0000bad^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^";
        Hl7Rejection rejection = new Hl7Rejection(AcknowledgmentCode.AR, ErrorCode.APPLICATION_INTERNAL_ERROR,
                "VIGIL-HL7-002", null, "parse error");
        String nak = codec.reject((Hl7Codec.Inbound) null, broken, rejection);
        assertThat(nak).contains("MSA|AR|CTRL42");
    }

    @Test
    void shouldDecodeFrameInTheCharsetMsh18Names() {
        String text = "MSH|^~\\&|A|B|||20240101||ORU^R01|1|P|2.6||||||8859/1\rPID|||x||M\u00fcller";
        byte[] latin1 = text.getBytes(StandardCharsets.ISO_8859_1);

        assertThat(codec.decode(latin1)).contains("M\u00fcller");
    }
}
