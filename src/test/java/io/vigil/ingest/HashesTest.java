package io.vigil.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HashesTest {

    @Test
    void nameUuidsShouldBeTheJdksNameBasedUuids() {
        Random random = new Random(6);
        List<String> names = new ArrayList<>(List.of("", "Observation|urn:vigil:id|x", "Größe|°C|μ", "a".repeat(10_000)));
        for (int i = 0; i < 2_000; i++) {
            StringBuilder name = new StringBuilder();
            int length = random.nextInt(120);
            for (int c = 0; c < length; c++) {
                name.append((char) (random.nextBoolean() ? 32 + random.nextInt(95) : random.nextInt(0x3000)));
            }
            names.add(name.toString());
        }
        for (String name : names) {
            assertThat(Hashes.nameUuid(name)).isEqualTo(UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString());
        }
    }

    @Test
    void hashesOnManyThreadsAtOnceShouldBeEachPayloadsOwn() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> checks = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int seed = t;
                checks.add(threads.submit(() -> {
                    Random random = new Random(seed);
                    for (int i = 0; i < 2_000; i++) {
                        byte[] payload = new byte[random.nextInt(5_000)];
                        random.nextBytes(payload);
                        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(payload));
                        String name = Integer.toString(random.nextInt());
                        if (!Hashes.sha256(payload).equals(expected)
                                || !Hashes.nameUuid(name).equals(UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString())) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> check : checks) {
                assertThat(check.get()).isTrue();
            }
        } finally {
            threads.shutdownNow();
        }
    }
}
