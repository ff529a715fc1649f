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
        assertThat(s.panelEvery()).isEqualTo(30);
        assertThat(LoadSettings.parse("load --panel-every 1".split(" ")).panelEvery()).isEqualTo(1);
        assertThatThrownBy(() -> LoadSettings.parse("load --panel-every 0".split(" ")))
                .hasMessage("--panel-every must be 1 or more, not 0");
    }

    @Test
    void writtenFramesShouldBeWhatTheConnectionsWouldSendReadableByAPlainMllpReader() throws Exception {
        java.nio.file.Path dir = io.vigil.support.TestFolders.create("vigil-frames");
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
                # HELP jvm_compilation_time_ms_total The approximate accumulated elapsed time spent in compilation
                # TYPE jvm_compilation_time_ms_total counter
                jvm_compilation_time_ms_total{compiler="HotSpot 64-Bit Tiered Compilers"} 43401.0
                """;

        ApplianceGauge.Reading reading = ApplianceGauge.parse(text);

        assertThat(reading.cpu()).isEqualTo(0.4375);
        assertThat(reading.heapBytes()).isEqualTo(157_286_400L);
        assertThat(reading.compileMillis()).isEqualTo(43401.0);
        assertThat(ApplianceGauge.parse("process_cpu_usage 0.5\n").compileMillis()).as("not published").isEqualTo(-1.0);
    }

    @Test
    void autoWarmupShouldBeReadAsUpToTenMinutes() {
        LoadSettings auto = LoadSettings.parse("load --beds 10 --warmup auto".split(" "));
        LoadSettings fixed = LoadSettings.parse("load --beds 10 --warmup 75s".split(" "));

        assertThat(auto.autoWarmup()).isTrue();
        assertThat(auto.warmup()).isEqualTo(Duration.ofMinutes(10));
        assertThat(fixed.autoWarmup()).isFalse();
        assertThat(fixed.warmup()).isEqualTo(Duration.ofSeconds(75));
    }

    @Test
    void theJitShouldCountAsSettledOnlyAfterThirtySecondsOfLittleCompiling() {
        JitWarmup jit = new JitWarmup();
        long s = 1_000_000_000L;
        double compiled = 0;
        // the first 60 s: compiling half of the time (one compiler thread at 50 %)
        for (long t = 0; t <= 60; t += 5) {
            jit.add(t * s, compiled);
            compiled += 2500;
        }
        assertThat(jit.latestShare()).isCloseTo(0.5, org.assertj.core.data.Offset.offset(0.001));
        assertThat(jit.settled()).isFalse();
        // then 100 ms of compiling every 5 s (2 %): settled once 30 s of such readings are in the window
        compiled -= 2500;
        for (long t = 65; t <= 80; t += 5) {
            compiled += 100;
            jit.add(t * s, compiled);
        }
        assertThat(jit.settled()).as("the window still holds busy readings").isFalse();
        for (long t = 85; t <= 95; t += 5) {
            compiled += 100;
            jit.add(t * s, compiled);
        }
        assertThat(jit.latestShare()).isCloseTo(0.02, org.assertj.core.data.Offset.offset(0.001));
        assertThat(jit.settled()).isTrue();
        jit.add(100 * s, -1); // a reading without the metric changes nothing
        assertThat(jit.settled()).isTrue();

        jit.restart();
        assertThat(jit.shareSinceFirst()).isEqualTo(-1.0);
        // readings 5.3 s apart (as the load tool's progress lines come) and an idle compiler: settled after 30 s
        for (int i = 0; i <= 5; i++) {
            jit.add(i * 5_300_000_000L, 500);
            assertThat(jit.settled()).as("%d readings", i + 1).isFalse();
        }
        jit.add(6 * 5_300_000_000L, 500);
        assertThat(jit.settled()).as("31.8 s of readings").isTrue();
        jit.restart();
        jit.add(0, 1000);
        jit.add(60 * s, 7000);
        assertThat(jit.shareSinceFirst()).isCloseTo(0.1, org.assertj.core.data.Offset.offset(0.001));
    }

    @Test
    void aGaugeThatCannotReachTheApplianceShouldSaySoInItsSummary() {
        ApplianceGauge gauge = new ApplianceGauge("127.0.0.1", io.vigil.support.FreePorts.next(), "admin:change-me");

        assertThat(gauge.read()).isNull();
        assertThat(gauge.summary()).startsWith("appliance CPU and heap: not read (").contains("/actuator/prometheus");
    }

    /** 100 beds a connection at one message a second each: a round of 100 is due every second from its start. */
    @Test
    void theScheduleShouldCountWhatWasDueAndNotSent() {
        long s = 1_000_000_000L;
        LoadSchedule schedule = new LoadSchedule();
        LoadSchedule.Connection first = schedule.add(100, s, 10 * s);
        LoadSchedule.Connection second = schedule.add(100, s, 10 * s + s / 2);

        assertThat(schedule.behind(9 * s)).as("before either starts").isZero();
        assertThat(first.due(10 * s)).as("the first round, due at the start").isEqualTo(100);
        assertThat(schedule.behind(10 * s + s / 2)).as("both first rounds due, nothing sent").isEqualTo(200);
        for (int i = 0; i < 100; i++) {
            first.sent();
        }
        assertThat(first.behind(10 * s + s / 2)).isZero();
        assertThat(first.behind(11 * s)).as("its second round").isEqualTo(100);
        assertThat(first.due(13 * s - 1)).as("three rounds started by then").isEqualTo(300);
        for (int i = 0; i < 400; i++) {
            second.sent();
        }
        assertThat(second.behind(12 * s)).as("ahead counts as not behind").isZero();
    }

    @Test
    void theVerdictShouldSayWhetherTheApplianceKeptUp() {
        assertThat(LoadSchedule.verdict(5000, 5000, 120, 3100))
                .isEqualTo("offered 5,000 messages a second; due and not yet sent: 120 when measuring began, 3,100 when "
                        + "it ended: the appliance kept up");
        assertThat(LoadSchedule.verdict(5000, 5000, 40_000, 900))
                .endsWith("the appliance kept up (the rate measured includes what the connections caught up on from "
                        + "the warm-up)");
        assertThat(LoadSchedule.verdict(5000, 5000, 57_620, 58_877))
                .endsWith("58,877 when it ended: the appliance carried the offered rate but not the backlog (11.8 s of "
                        + "load, left from the warm-up), so the rate measured is the most it carried");
        assertThat(LoadSchedule.verdict(5000, 5000, 78_168, 42_964))
                .endsWith("42,964 when it ended: the appliance carried more than the offered rate, catching up on the "
                        + "backlog left from the warm-up (8.6 s of load still waiting), so the rate measured is the most "
                        + "it carried");
        assertThat(LoadSchedule.verdict(7000, 7000, 30_000, 91_000))
                .isEqualTo("offered 7,000 messages a second; due and not yet sent: 30,000 when measuring began, 91,000 "
                        + "when it ended (13.0 s of load): the appliance fell behind, and the rate measured is the most "
                        + "it carried");
    }
}
