package io.vigil.governance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry keeps approvals across restarts and records a crowd of new devices without a write per device. */
class DeviceRegistryTest {

    private static final Instant T0 = Instant.parse("2026-12-02T08:00:00Z");

    @TempDir
    Path dir;

    @Test
    void fiveThousandNewDevicesFromEightThreadsAreAllStoredInFewWrites() throws Exception {
        Path file = dir.resolve("devices.json");
        DeviceRegistry registry = new DeviceRegistry(file, List.of("MON-APPROVED"), Duration.ofMillis(200));
        ExecutorService threads = Executors.newFixedThreadPool(8);
        List<Future<List<String>>> results = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int thread = t;
            results.add(threads.submit(() -> {
                List<String> statuses = new ArrayList<>();
                for (int i = thread; i < 5000; i += 8) {
                    statuses.add(registry.seen("MON-" + i, "MLLP", T0.plusMillis(i)));
                    statuses.add(registry.seen("MON-" + i, "MLLP", T0.plusMillis(i + 1)));
                }
                statuses.add(registry.seen("MON-APPROVED", "MLLP", T0));
                return statuses;
            }));
        }
        for (Future<List<String>> r : results) {
            assertThat(r.get(30, TimeUnit.SECONDS)).containsOnly(DeviceRegistry.PENDING, DeviceRegistry.APPROVED)
                    .filteredOn(DeviceRegistry.APPROVED::equals).hasSize(1);
        }
        threads.shutdown();
        long writesWhileSeen = registry.saves();
        registry.close();

        assertThat(writesWhileSeen).as("file writes during 10,000 sightings of 5,000 new devices").isLessThan(100);
        DeviceRegistry reopened = new DeviceRegistry(file, List.of());
        assertThat(reopened.list()).hasSize(5001);
        assertThat(reopened.list()).filteredOn(e -> e.id().equals("MON-4999")).singleElement()
                .satisfies(e -> {
                    assertThat(e.status()).isEqualTo(DeviceRegistry.PENDING);
                    assertThat(e.firstSeen()).isEqualTo(T0.plusMillis(4999));
                    assertThat(e.lastSeen()).isEqualTo(T0.plusMillis(5000));
                });
        reopened.close();
    }

    @Test
    void aNewDeviceIsWrittenWithinTheSaveDelayWithoutClose() throws Exception {
        Path file = dir.resolve("devices.json");
        DeviceRegistry registry = new DeviceRegistry(file, List.of(), Duration.ofMillis(50));
        assertThat(registry.seen("MON-1", "MQTT", T0)).isEqualTo(DeviceRegistry.PENDING);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.exists(file) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(Files.readString(file)).contains("\"MON-1\"").contains("PENDING");
        registry.close();
    }

    @Test
    void anApprovalIsOnDiskWhenApproveReturnsAndSurvivesARestart() throws Exception {
        Path file = dir.resolve("devices.json");
        DeviceRegistry registry = new DeviceRegistry(file, List.of(), Duration.ofHours(1));
        registry.seen("MON-2", "MLLP", T0);
        assertThat(registry.approve("MON-2")).isTrue();
        assertThat(registry.approve("NEVER-SEEN")).isFalse();
        // no close: what approve wrote is what a restart after a crash reads
        DeviceRegistry restarted = new DeviceRegistry(file, List.of());
        assertThat(restarted.seen("MON-2", "MLLP", T0.plusSeconds(1))).isEqualTo(DeviceRegistry.APPROVED);
        assertThat(restarted.seen("MON-3", "MLLP", T0.plusSeconds(1))).isEqualTo(DeviceRegistry.PENDING);
        registry.close();
        restarted.close();
    }
}
