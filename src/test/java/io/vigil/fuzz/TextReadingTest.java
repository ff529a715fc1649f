package io.vigil.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.hl7.Hl7Codec;
import io.vigil.hl7.Hl7Rejection;
import io.vigil.model.ObservationBatch;
import io.vigil.support.Pcd01Writer;
import io.vigil.support.Samples;
import io.vigil.support.TestPipeline;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The appliance reads plain PCD-01 messages straight from their text (Pcd01Text) and every other message with HAPI:
 * both readings must give the same batch, the same refusal or the same ACK, on the samples, on messages as monitors
 * write them, and on thousands of mutations of them.
 */
class TextReadingTest {

    private static final Instant RECEIVED = Instant.parse("2026-12-01T00:00:00Z");
    private static final List<String> SAMPLES = List.of("01", "02", "03", "04", "05", "06", "09", "10", "11", "12");

    @Test
    void samplesAndMonitorMessagesReadFromTheirTextAsHapiReadsThem() throws Exception {
        List<String> messages = new ArrayList<>();
        for (String sample : SAMPLES) {
            messages.add(Samples.hl7(sample));
        }
        for (String version : List.of("2.3", "2.4", "2.5", "2.5.1", "2.6", "2.7")) {
            messages.add(Samples.hl7("04").replace("|P|2.6|", "|P|" + version + "|"));
        }
        messages.add(Pcd01Writer.vitals("C1", "P1", "ICU", "0A0B0C0D0E0F1001", OffsetDateTime.parse("2026-12-01T10:00:00Z"),
                72, 97, 16, 120, 80, "37.1", "A"));
        String s04 = Samples.hl7("04");
        // quirks of real feeds, each read from the text or handed to HAPI, and read alike
        for (String[] quirk : new String[][] {
            {"|120|", "|120^x|"}, {"|120|", "| 120 |"}, {"|120|", "|^|"}, {"|120|", "|12&0|"}, {"|120|", "|120~121|"},
            {"|NM|150021", "|ST|150021"}, {"|NM|150021", "|CWE|150021"}, {"|NM|150021", "|CE|150021"},
            {"|NM|150021", "| NM|150021"}, {"|NM|150021", "||150021"}, {"|NM|150021", "|SN|150021"},
            {"HO2009001^^^NIST^PI", "HO2009001^^^NIST^PI~MRN7^^^HOSP^MR"}, {"HO2009001^^^NIST^PI", "~HO2009001^^^&urn:x^PI"},
            {"|HO Surgery^OR^1|", "|HO Surgery&x^OR^1|"}, {"|HO Surgery^OR^1|", "|HO Surgery~ICU^OR^1|"},
            {"|0104ef190d604db188c3|", "| 0104ef190d604db188c3 |"}, {"|0104ef190d604db188c3|", "||"},
            {"|0104ef190d604db188c3|", "|0104ef19^0d60|"}, {"|ACME Healthcare|", "|ACME \\T\\ Sons|"},
            {"ORU^R01^ORU_R01", "ORU^R01"}, {"ORU^R01^ORU_R01", "ORU^R40^ORU_R01"}, {"ORU^R01^ORU_R01", "ORU^R01^ORU_R30"},
            {"\rPV1||I|HO Surgery^OR^1|", ""}, {"\rPV1||I|HO Surgery^OR^1|", "\rPV1||I|HO Surgery^OR^1|\rPV2|||x"},
            {"\rPV1||I|HO Surgery^OR^1|", "\rPV1||I|HO Surgery^OR^1|\rNK1|1|x"}, {"\rPV1||I|", "\rNTE|1||x\rPV1||I|"},
            {"\rOBR|1|", "\rORC|RE\rOBR|1|"}, {"\rOBR|1|", "\rZXX|1\rOBR|1|"}, {"\rOBX|4|", "\rOBX\rOBX|4|"},
            {"\rOBX|4|", "\rNTE|1||note\rOBX|4|"}, {"\rOBX|4|", "\rOBR|2\rOBX|4|"}, {"\rOBX|4|", "\rPID|||P2^^^NIST^PI\rOBX|4|"},
            {"|R|||20110602045842+0000||||080019FFFE3ED02D172", "|R|||20110602045842+0000||||0A0B0C0D0E0F1001^^0A0B0C0D0E0F1001^EUI-64~080019FFFE3ED02D172"},
            {"|R|||20110602045842+0000|", "|R||| 2011060204|"}, {"|R|||20110602045842+0000|", "|R|||2011-06-02|"},
            {"|||||R|||", "|||HH~H||R|||"}, {"|||||R|||", "||50-150|||R|||"}, {"|||||R|||", "|||||R~F|||"},
            {"MSH|^~\\&|", "MSH|^~\\&#|"}, {"MSH|^~\\&|", "MSH|^~\\&|\u00e9"}}) {
            messages.add(s04.replace(quirk[0], quirk[1]));
        }
        int fromText = 0;
        for (String message : messages) {
            if (compare(message, "message " + messages.indexOf(message))) {
                fromText++;
            }
        }
        System.out.println("messages read from their text: " + fromText + " of " + messages.size());
        // 02-05 and the written vitals are plain ORU^R01 (five of 04's versions); 01 (escapes), the ADT, text-report,
        // ORF^R04 and 2.7 messages go to HAPI
        assertThat(fromText).isGreaterThanOrEqualTo(30);
        assertThat(TestPipeline.CODEC.read(Samples.hl7("04")).text()).isNotNull();
        assertThat(TestPipeline.CODEC.read(Samples.hl7("12")).text()).as("ORF^R04").isNull();
        assertThat(TestPipeline.CODEC.read(Samples.hl7("09")).text()).as("ADT").isNull();
    }

    @Test
    void mutatedMessagesReadFromTheirTextAsHapiReadsThem() throws Exception {
        Random random = new Random(20261201L);
        int fromText = 0;
        int total = 0;
        List<String> originals = new ArrayList<>();
        for (String sample : SAMPLES) {
            originals.add(Samples.hl7(sample));
        }
        originals.add(Pcd01Writer.vitals("C2", "P2", "ICU", "0A0B0C0D0E0F1002", OffsetDateTime.parse("2026-12-01T10:00:00Z"),
                130, 88, 28, 90, 50, "39.2", "V"));
        for (String original : originals) {
            for (int i = 0; i < 300; i++) {
                String mutant = MutatedInputTest.Mutations.hl7(original, random);
                String text = TestPipeline.CODEC.decode(mutant.getBytes(StandardCharsets.ISO_8859_1));
                if (compare(text, "mutant " + total)) {
                    fromText++;
                }
                total++;
            }
        }
        System.out.println("mutants read from their text: " + fromText + " of " + total);
        assertThat(fromText).as("mutants that took the text reading").isGreaterThan(total / 10);
    }

    /** Compares both readings of one message; true when the appliance read it from its text. */
    private static boolean compare(String message, String what) throws Exception {
        Hl7Codec codec = TestPipeline.CODEC;
        Hl7Codec.Inbound[] read = new Hl7Codec.Inbound[1];
        String byHapi = outcome(message, () -> new Hl7Codec.Inbound(null, codec.parse(message)), new Hl7Codec.Inbound[1]);
        String appliance = outcome(message, () -> codec.read(message), read);
        assertThat(appliance).as("%s read by the appliance, against HAPI's reading:%n%s", what, message).isEqualTo(byHapi);
        return read[0] != null && read[0].text() != null;
    }

    private interface Reading {
        Hl7Codec.Inbound read() throws Hl7Rejection;
    }

    /** The batch and the ACK, or the refusal and the NAK, of one reading; {@code read[0]}: the message as read. */
    private static String outcome(String message, Reading reading, Hl7Codec.Inbound[] read) {
        Hl7Codec codec = TestPipeline.CODEC;
        try {
            read[0] = reading.read();
            ObservationBatch batch = TestPipeline.EXTRACTOR.extract(read[0], RECEIVED, "0");
            return batch + "\n" + withoutTimeAndId(codec.accept(read[0]));
        } catch (Hl7Rejection r) {
            return refusal(r) + "\n" + withoutTimeAndId(codec.reject(read[0], message, r));
        }
    }

    private static String refusal(Hl7Rejection r) {
        return "refused " + r.ackCode() + " " + r.vigilCode() + " " + r.location() + " " + r.describe();
    }

    /** An acknowledgement without its own time (MSH-7) and control id (MSH-10). */
    private static String withoutTimeAndId(String ack) {
        String[] fields = ack.split("\\|", -1);
        if (fields.length > 9) {
            fields[6] = "";
            fields[9] = "";
        }
        return String.join("|", fields);
    }
}
