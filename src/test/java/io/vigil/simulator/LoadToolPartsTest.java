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
    void shouldRefuseAnUnknownOptionNamingIt() {
        assertThatThrownBy(() -> LoadSettings.parse(new String[] {"load", "--bedz", "3"}))
                .hasMessageContaining("--bedz");
    }

    @Test
    void shouldReportPercentilesWithinTheBucketWidth() {
        LatencyRecorder latency = new LatencyRecorder();
        for (int ms = 1; ms <= 1000; ms++) {
            latency.record(ms * 1_000_000L);
        }

        assertThat(latency.count()).isEqualTo(1000);
        assertThat(latency.percentileMillis(0.50)).isBetween(500.0, 500.0 * 1.03);
        assertThat(latency.percentileMillis(0.99)).isBetween(990.0, 990.0 * 1.03);
    }
}
