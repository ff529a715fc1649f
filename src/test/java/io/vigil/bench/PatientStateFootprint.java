package io.vigil.bench;

import io.vigil.model.DeviceInfo;
import io.vigil.model.DeviceObservation;
import io.vigil.model.ObservationCode;
import io.vigil.model.ObservationValue;
import io.vigil.model.PatientRef;
import io.vigil.model.Source;
import io.vigil.rules.ClinicalEvaluator;
import io.vigil.rules.ClinicalParameters;
import io.vigil.rules.ClinicalSettings;
import io.vigil.rules.News2Band;
import io.vigil.rules.PatientContexts;
import io.vigil.rules.RuleEngine;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;

/**
 * Heap held by the clinical state of N patients, each with every scored parameter, a full SpO2 history and
 * active alerts: the worst case of what vigil.rules.max-patients bounds. Usage: PatientStateFootprint [N].
 */
public final class PatientStateFootprint {

    public static void main(String[] args) throws Exception {
        int patients = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        RuleEngine engine = new RuleEngine(Path.of("rules"));
        ClinicalEvaluator clinical = new ClinicalEvaluator(engine, ClinicalParameters.load(Path.of("mappings")),
                new ClinicalSettings(Duration.ofHours(1), Duration.ofMinutes(10), Duration.ofMinutes(30),
                        News2Band.LOW_MEDIUM, 1, patients * 2, Duration.ofHours(24)), new PatientContexts());
        Source source = new Source("hl7v2-mllp", "BENCH", "1", "P", Instant.EPOCH, "0");
        OffsetDateTime t0 = OffsetDateTime.of(2026, 11, 24, 10, 0, 0, 0, ZoneOffset.UTC);
        long before = usedAfterGc();
        for (int round = 0; round < 70; round++) { // 70 messages per patient fill the 64-value SpO2 history
            OffsetDateTime t = t0.plusSeconds(round * 5L);
            for (int p = 0; p < patients; p++) {
                List<DeviceObservation> message = List.of(
                        obs(source, p, "8867-4", 135, t), obs(source, p, "2708-6", 97 - round % 8, t),
                        obs(source, p, "9279-1", 27, t), obs(source, p, "8480-6", 88, t), obs(source, p, "8310-5", 39, t));
                clinical.evaluate("urn:bench|" + p, "WARD7", message, o -> "observation-" + o.code().loinc() + "-" + t);
            }
        }
        long after = usedAfterGc();
        System.out.printf("patients=%d tracked=%d heap=%.1f MiB per-patient=%.1f KiB%n", patients,
                clinical.patientsTracked(), (after - before) / 1048576.0, (after - before) / 1024.0 / patients);
    }

    private static DeviceObservation obs(Source source, int patient, String loinc, int value, OffsetDateTime time) {
        return new DeviceObservation(source, new DeviceInfo("0A0B0C0D" + patient, "EUI-64", null, null, "1.1.1." + loinc),
                new PatientRef("urn:bench", String.valueOf(patient)), null, new ObservationCode(null, null, loinc, null, loinc),
                ObservationValue.quantity(BigDecimal.valueOf(value), "/min", "/min"), time, "final", Set.of(), null, null);
    }

    private static long usedAfterGc() throws InterruptedException {
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(200);
        }
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }
}
