package io.vigil.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.vigil.hl7.Hl7Rejection;
import io.vigil.ingest.DeviceJsonReader;
import io.vigil.ingest.InvalidPayloadException;
import io.vigil.support.Samples;
import io.vigil.support.TestPipeline;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * A generated corpus of mutated real samples: every input must end as a batch or a refusal with a reason
 * (HL7: Hl7Rejection, which becomes a NAK; JSON: InvalidPayloadException, which becomes a quarantine entry),
 * never another exception. The corpus is seeded, so a failure reproduces.
 */
class MutatedInputTest {

    private static final long SEED = 20261124L;
    private static final int MUTANTS_PER_SAMPLE = 400;

    @Test
    void everyMutatedHl7MessageIsReadOrRefusedWithAReason() throws Exception {
        Random random = new Random(SEED);
        Map<String, Integer> outcomes = new TreeMap<>();
        for (String sample : List.of("01", "02", "03", "04", "05", "06", "09", "10", "11", "12")) {
            String original = Samples.hl7(sample);
            for (int i = 0; i < MUTANTS_PER_SAMPLE; i++) {
                String mutant = Mutations.hl7(original, random);
                byte[] frame = mutant.getBytes(random.nextBoolean() ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
                outcomes.merge(readHl7(frame, sample, i), 1, Integer::sum);
            }
        }
        outcomes.merge(readHl7(Mutations.huge(10 * 1024 * 1024, random), "10 MB", 0), 1, Integer::sum);
        System.out.println("HL7 mutants: " + outcomes);
        assertThat(outcomes.keySet()).allMatch(k -> k.equals("accepted") || k.startsWith("refused "));
        assertThat(outcomes.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(10 * MUTANTS_PER_SAMPLE + 1);
    }

    @Test
    void everyMutatedDeviceJsonIsReadOrQuarantinedWithAReason() throws Exception {
        Random random = new Random(SEED);
        String example = new String(java.nio.file.Files.readAllBytes(java.nio.file.Path.of(
                "src/test/resources/golden/rules/deteriorating-patient/messages.json")), StandardCharsets.UTF_8);
        String original = example.substring(example.indexOf('{'), example.indexOf("\n }") + 3);
        DeviceJsonReader reader = new DeviceJsonReader(TestPipeline.TERMINOLOGY);
        Map<String, Integer> outcomes = new TreeMap<>();
        for (int i = 0; i < 2000; i++) {
            byte[] mutant = Mutations.json(original, random).getBytes(StandardCharsets.UTF_8);
            try {
                reader.read(mutant, "0A0B0C0D0E0F2001", Instant.now());
                outcomes.merge("accepted", 1, Integer::sum);
            } catch (InvalidPayloadException e) {
                outcomes.merge("quarantined", 1, Integer::sum);
            } catch (RuntimeException e) {
                fail("device JSON mutant " + i + " crashed the reader: " + e, e);
            }
        }
        System.out.println("JSON mutants: " + outcomes);
        assertThat(outcomes.getOrDefault("quarantined", 0)).isGreaterThan(100);
    }

    @Test
    void everyMutatedVendorPayloadIsMappedOrQuarantinedWithAReason() throws Exception {
        Random random = new Random(SEED);
        java.nio.file.Path dir = java.nio.file.Path.of("mappings");
        io.vigil.mapping.VendorMappings mappings = new io.vigil.mapping.VendorMappings(dir, TestPipeline.TERMINOLOGY,
                TestPipeline.UNITS, "urn:vigil:patient-id", java.time.Duration.ofMinutes(5));
        List<java.nio.file.Path> inputs;
        try (var files = java.nio.file.Files.walk(dir.resolve("tests"))) {
            inputs = files.filter(f -> f.getFileName().toString().startsWith("input.")).sorted().toList();
        }
        Map<String, Integer> outcomes = new TreeMap<>();
        int n = 0;
        for (java.nio.file.Path input : inputs) {
            String original = java.nio.file.Files.readString(input, StandardCharsets.UTF_8);
            for (int i = 0; i < 200; i++, n++) {
                byte[] mutant = Mutations.json(original, random).getBytes(StandardCharsets.UTF_8);
                io.vigil.mapping.IngestContext context = new io.vigil.mapping.IngestContext("http", "fuzz", "dev-1",
                        i % 2 == 0 ? "MRN-1" : null, Instant.now());
                try {
                    var selection = mappings.select(mappings.snapshot(), mutant, context);
                    var result = mappings.snapshot().mapper().map(selection.mapping(), selection.root(), mutant, context);
                    outcomes.merge(result.complete() ? "mapped" : "mapped in part, rest quarantined", 1, Integer::sum);
                } catch (InvalidPayloadException e) {
                    outcomes.merge("quarantined: " + e.getMessage().replaceAll(" .*", ""), 1, Integer::sum);
                } catch (RuntimeException e) {
                    fail("vendor mutant " + i + " of " + input + " crashed the mapping: " + e, e);
                }
            }
        }
        System.out.println("Vendor mutants: " + n + " " + outcomes);
        assertThat(outcomes.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(n);
        assertThat(outcomes).containsKey("mapped").containsKey("quarantined: match:");
    }

    private static String readHl7(byte[] frame, String sample, int index) {
        String text = TestPipeline.CODEC.decode(frame);
        io.vigil.hl7.Hl7Codec.Inbound message = null;
        try {
            message = TestPipeline.CODEC.read(text);
            TestPipeline.EXTRACTOR.extract(message, Instant.now(), "0");
            return "accepted";
        } catch (Hl7Rejection r) {
            String nak = TestPipeline.CODEC.reject(message, text, r);
            assertThat(nak).as("NAK for mutant %s/%d", sample, index).contains("MSA|A");
            return "refused " + r.vigilCode();
        } catch (RuntimeException e) {
            fail("HL7 mutant " + sample + "/" + index + " crashed the reader: " + e, e);
            return "crash";
        }
    }

    /** Mutations seen on real interfaces. */
    static final class Mutations {

        private Mutations() {
        }

        static String hl7(String message, Random random) {
            String m = message;
            int rounds = 1 + random.nextInt(3);
            for (int r = 0; r < rounds; r++) {
                m = switch (random.nextInt(10)) {
                    case 0 -> m.substring(0, random.nextInt(Math.max(1, m.length())));
                    case 1 -> m.replace('|', random.nextBoolean() ? '^' : '~');
                    case 2 -> m.replace("\r", random.nextBoolean() ? "\n" : "");
                    case 3 -> insert(m, random, binary(random, 1 + random.nextInt(64)));
                    case 4 -> insert(m, random, "X".repeat(1 + random.nextInt(200_000)));
                    case 5 -> insert(m, random, "~".repeat(1 + random.nextInt(5_000)));
                    case 6 -> dropSegment(m, random);
                    case 7 -> m.replace("^", "^^^^^^^^");
                    case 8 -> flipBytes(m, random);
                    default -> m + "\r" + m;
                };
            }
            return m;
        }

        static String json(String json, Random random) {
            return switch (random.nextInt(8)) {
                case 0 -> json.substring(0, random.nextInt(Math.max(1, json.length())));
                case 1 -> json.replace("\"value\"", "\"val\"");
                case 2 -> json.replaceFirst("[0-9]+", "\"" + binary(random, 8) + "\"");
                case 3 -> json.replace("+00:00", "");
                case 4 -> insert(json, random, binary(random, 1 + random.nextInt(32)));
                case 5 -> json.replace("\"observations\"", "\"observations\": [], \"x\"");
                case 6 -> "[" + json + "]";
                default -> flipBytes(json, random);
            };
        }

        static byte[] huge(int size, Random random) {
            byte[] b = new byte[size];
            byte[] header = "MSH|^~\\&|FUZZ||||20260101||ORU^R01|BIG|P|2.6\rOBX|1|ST|1^x^MDC||".getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(header, 0, b, 0, header.length);
            for (int i = header.length; i < size; i++) {
                b[i] = (byte) ('A' + random.nextInt(26));
            }
            return b;
        }

        private static String insert(String s, Random random, String what) {
            int at = random.nextInt(s.length() + 1);
            return s.substring(0, at) + what + s.substring(at);
        }

        private static String dropSegment(String m, Random random) {
            List<String> segments = new ArrayList<>(List.of(m.split("\r")));
            if (segments.size() > 1) {
                segments.remove(random.nextInt(segments.size()));
            }
            return String.join("\r", segments);
        }

        private static String flipBytes(String s, Random random) {
            char[] c = s.toCharArray();
            for (int i = 0; i < 1 + random.nextInt(10) && c.length > 0; i++) {
                c[random.nextInt(c.length)] = (char) random.nextInt(256);
            }
            return new String(c);
        }

        private static String binary(Random random, int n) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < n; i++) {
                sb.append((char) random.nextInt(32));
            }
            return sb.toString();
        }
    }
}
