package io.vigil.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LoadToolPartsTest {

    @Test
    void shouldReadTheDocumentedCommandLine() {
        LoadSettings s = LoadSettings.parse("load --beds 5000 --rate 1/s --duration 60s --connections 50 --mllp-only".split(" "));

        assertThat(s.beds()).isEqualTo(5000);
        assertThat(s.rate()).isEqualTo(1.0);
        assertThat(s.duration()).isEqualTo(Duration.ofSeconds(60));
        assertThat(s.connections()).isEqualTo(50);
        assertThat(s.mqttShare()).isZero();
    }

    @Test
    void writtenFramesShouldBeWhatTheConnectionsWouldSendReadableByAPlainMllpReader() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("vigil-frames");
        LoadSettings s = LoadSettings.parse(("load --beds 5 --rate 2 --duration 3s --connections 2 --mllp-only --write " + dir)
                .split(" "));

        new LoadTool(s).run();

        byte[] first = java.nio.file.Files.readAllBytes(dir.resolve("connection-001.mllp"));
        byte[] second = java.nio.file.Files.readAllBytes(dir.resolve("connection-002.mllp"));
        String text = new String(first, java.nio.charset.StandardCharsets.UTF_8);
        // 3 beds and 2 beds, 6 rounds each (3 s at 2 messages a second)
        assertThat(text.split("\u000b", -1)).hasSize(3 * 6 + 1);
        assertThat(new String(second, java.nio.charset.StandardCharsets.UTF_8).split("\u000b", -1)).hasSize(2 * 6 + 1);
        assertThat(text).startsWith("\u000bMSH|^~\\&|VIGIL_SIM^").endsWith("\u001c\r").contains("\rOBX|2|NM|147842^MDC_ECG_HEART_RATE^MDC|");
        assertThat(text.split("\u001c\r\u000b")).allSatisfy(frame -> assertThat(frame).contains("ORU^R01^ORU_R01").doesNotContain("\n"));
    }

    @Test
    void shouldRefuseAnUnknownOptionNamingIt() {
        assertThatThrownBy(() -> LoadSettings.parse(new String[] {"load", "--bedz", "3"}))
                .hasMessageContaining("--bedz");
    }

    @Test
    void shouldReportPercentilesWithinTheBucketWidth() {
        io.vigil.console.LatencyHistogram latency = new io.vigil.console.LatencyHistogram();
        for (int ms = 1; ms <= 1000; ms++) {
            latency.record(ms * 1_000_000L);
        }

        assertThat(latency.count()).isEqualTo(1000);
        assertThat(latency.percentileMillis(0.50)).isBetween(500.0, 500.0 * 1.03);
        assertThat(latency.percentileMillis(0.99)).isBetween(990.0, 990.0 * 1.03);
    }

    @Test
    void applianceCpuAndHeapShouldBeReadFromItsPrometheusText() {
        String text = """
                # HELP process_cpu_usage The "recent cpu usage" for the Java Virtual Machine process
                # TYPE process_cpu_usage gauge
                process_cpu_usage 0.4375
                jvm_memory_used_bytes{area="heap",id="G1 Eden Space"} 1.048576E8
                jvm_memory_used_bytes{area="heap",id="G1 Old Gen"} 5.24288E7
                jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 9.9E7
                """;

        ApplianceGauge.Reading reading = ApplianceGauge.parse(text);

        assertThat(reading.cpu()).isEqualTo(0.4375);
        assertThat(reading.heapBytes()).isEqualTo(157_286_400L);
    }

    @Test
    void aGaugeThatCannotReachTheApplianceShouldSaySoInItsSummary() {
        ApplianceGauge gauge = new ApplianceGauge("127.0.0.1", io.vigil.support.FreePorts.next(), "admin:change-me");

        assertThat(gauge.read()).isNull();
        assertThat(gauge.summary()).startsWith("appliance CPU and heap: not read (").contains("/actuator/prometheus");
    }
}
