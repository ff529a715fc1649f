package io.vigil.bench;

import io.vigil.governance.DeviceRegistry;
import io.vigil.governance.GovernanceEvaluator;
import io.vigil.governance.GovernanceOutcome;
import io.vigil.model.DeviceInfo;
import io.vigil.model.DeviceObservation;
import io.vigil.model.ObservationBatch;
import io.vigil.model.ObservationCode;
import io.vigil.model.ObservationValue;
import io.vigil.model.PatientRef;
import io.vigil.model.Source;
import io.vigil.rules.ClinicalEvaluator;
import io.vigil.rules.ClinicalOutcome;
import io.vigil.rules.ClinicalParameters;
import io.vigil.rules.ClinicalSettings;
import io.vigil.rules.News2Band;
import io.vigil.rules.News2Input;
import io.vigil.rules.News2Scorer;
import io.vigil.rules.PatientContexts;
import io.vigil.rules.Reading;
import io.vigil.rules.RuleEngine;
import io.vigil.support.TestFolders;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Patient evaluations per second on one thread, with the shipped rules/: NEWS2, qSOFA, thresholds (decision
 * table) and trends in one evaluation ({@code news2AndThresholds}), the whole clinical step with its per-patient
 * state and alarm-fatigue control over 10,000 patients ({@code clinicalStep}), and the governance rules on one
 * message of four values, bound for a production EHR ({@code governanceStep}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RulesBenchmark {

    private static final int PATIENTS = 10_000;

    private News2Scorer scorer;
    private ClinicalEvaluator clinical;
    private News2Input[] inputs;
    private List<List<Object>> readings;
    private List<List<DeviceObservation>> messages;
    private GovernanceEvaluator governance;
    private List<ObservationBatch> batches;
    private int next;

    @Setup
    public void setUp() throws Exception {
        RuleEngine engine = new RuleEngine(Path.of("rules"));
        scorer = new News2Scorer(engine, News2Band.LOW_MEDIUM);
        clinical = new ClinicalEvaluator(engine, ClinicalParameters.load(Path.of("mappings")),
                new ClinicalSettings(Duration.ofHours(1), Duration.ofMinutes(10), Duration.ofMinutes(30),
                        News2Band.LOW_MEDIUM, 1, PATIENTS * 2, Duration.ofHours(24)), new PatientContexts());
        inputs = new News2Input[64];
        readings = new ArrayList<>();
        for (int i = 0; i < inputs.length; i++) {
            int hr = 60 + i, rr = 12 + i % 16, spo2 = 99 - i % 12, sys = 140 - i;
            inputs[i] = new News2Input(rr, spo2, i % 3 == 0, sys, hr, i % 9 == 0 ? "C" : "A", 365 + i % 30, 1);
            readings.add(List.of(new Reading("pulse", hr, "WARD7"), new Reading("respiration-rate", rr, "WARD7"),
                    new Reading("spo2", spo2, "WARD7"), new Reading("systolic-bp", sys, "WARD7"),
                    new Reading("temperature", 36.5 + (i % 30) / 10.0, "WARD7")));
        }
        messages = new ArrayList<>();
        OffsetDateTime t = OffsetDateTime.of(2026, 11, 24, 10, 0, 0, 0, ZoneOffset.UTC);
        Source source = new Source("hl7v2-mllp", "BENCH", "1", "P", Instant.EPOCH, "0");
        for (int i = 0; i < 64; i++) {
            List<DeviceObservation> m = new ArrayList<>();
            m.add(obs(source, "8867-4", 60 + i, t.plusSeconds(i)));
            m.add(obs(source, "2708-6", 99 - i % 12, t.plusSeconds(i)));
            m.add(obs(source, "9279-1", 12 + i % 16, t.plusSeconds(i)));
            m.add(obs(source, "8480-6", 140 - i, t.plusSeconds(i)));
            messages.add(m);
        }
        governance = new GovernanceEvaluator(engine, ClinicalParameters.load(Path.of("mappings")),
                new DeviceRegistry(TestFolders.create("vigil-bench-registry").resolve("devices.json"), List.of()), false);
        batches = messages.stream().map(m -> new ObservationBatch(source, m, 0, 0)).toList();
    }

    private static DeviceObservation obs(Source source, String loinc, int value, OffsetDateTime time) {
        return new DeviceObservation(source, new DeviceInfo("0A0B0C0D0E0F1011", "EUI-64", null, null, "1.1.1." + loinc),
                new PatientRef("urn:bench", "p"), null, new ObservationCode(null, null, loinc, null, loinc),
                ObservationValue.quantity(BigDecimal.valueOf(value), "/min", "/min"), time, "final", Set.of(), null, null);
    }

    @Benchmark
    public News2Scorer.Scores news2AndThresholds() {
        int i = next++ & 63;
        return scorer.score(inputs[i], readings.get(i));
    }

    @Benchmark
    public GovernanceOutcome governanceStep() {
        return governance.evaluate(batches.get(next++ & 63), true);
    }

    @Benchmark
    public ClinicalOutcome clinicalStep() {
        int n = next++;
        return clinical.evaluate("urn:bench|" + (n % PATIENTS), "WARD7", messages.get(n & 63), o -> "id");
    }
}
