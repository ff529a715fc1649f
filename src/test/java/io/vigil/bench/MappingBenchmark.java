package io.vigil.bench;

import io.vigil.mapping.IngestContext;
import io.vigil.mapping.MappingResult;
import io.vigil.mapping.VendorMappings;
import io.vigil.normalize.Terminology;
import io.vigil.normalize.Units;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Vendor JSON payloads mapped to canonical observations per second on one thread, with the shipped
 * mappings/ and the real path of route map-vendor (VendorMappings.select, then VendorMapper.map: parse,
 * match, records, codes, units, times):
 * {@code iotHubChosenByMatch}: an Azure IoT Hub envelope with 3 values, the mapping found by trying the match
 * expressions of all shipped mappings in file order; {@code openMhealthByName}: an Open mHealth heart rate
 * named by its entry point; {@code withingsFiveGroups}: a Withings response of 5 groups (9 observations, a
 * code map, computed values). Each payload's bytes differ per call (a counter in a field) so nothing is cached.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class MappingBenchmark {

    private VendorMappings mappings;
    private VendorMappings.Snapshot snapshot;
    private String iotHub;
    private String openMhealth;
    private String withings;
    private IngestContext byMatch;
    private IngestContext byName;
    private IngestContext withingsContext;
    private long counter;

    @Setup
    public void setUp() throws Exception {
        Path dir = Path.of("mappings");
        Terminology terminology = Terminology.load(dir);
        mappings = new VendorMappings(dir, terminology, Units.load(dir, terminology), "urn:vigil:patient-id", Duration.ofMinutes(5));
        snapshot = mappings.snapshot();
        iotHub = Files.readString(dir.resolve("tests/azure-iot-hub-multi-value/input.json"))
                .replace("\"systolic\": \"111\"", "\"systolic\": \"%d\"");
        openMhealth = Files.readString(dir.resolve("tests/omh-heart-rate/input.json")).replace("\"value\": 50", "\"value\": %d");
        withings = Files.readString(dir.resolve("tests/withings-body-measures/input.json")).replace("\"value\": 68", "\"value\": %d");
        Instant now = Instant.parse("2026-11-24T12:00:00Z");
        byMatch = new IngestContext("http", "hub-east", null, "MRN-1", now);
        byName = new IngestContext("http", "open-mhealth", "phone-1", "MRN-1", now);
        withingsContext = new IngestContext("http", "withings", "scale-1", "MRN-1", now);
    }

    private MappingResult map(String template, IngestContext context) throws Exception {
        byte[] payload = template.formatted(60 + (counter++ & 63)).getBytes();
        VendorMappings.Selection selection = mappings.select(snapshot, payload, context);
        MappingResult result = snapshot.mapper().map(selection.mapping(), selection.root(), payload, context);
        if (result.batch().observations().isEmpty()) {
            throw new IllegalStateException("nothing mapped");
        }
        return result;
    }

    @Benchmark
    public MappingResult iotHubChosenByMatch() throws Exception {
        return map(iotHub, byMatch);
    }

    @Benchmark
    public MappingResult openMhealthByName() throws Exception {
        return map(openMhealth, byName);
    }

    @Benchmark
    public MappingResult withingsFiveGroups() throws Exception {
        return map(withings, withingsContext);
    }
}
