package io.vigil.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.hl7.Pcd01Text;
import io.vigil.ingest.DeviceJsonReader;
import io.vigil.model.ObservationBatch;
import io.vigil.support.FhirValidation;
import io.vigil.support.TestPipeline;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

class SimulatedMessagesTest {

    private final SimulatedBed bed = SimulatedBed.of(7, new BedModel(7, false, Duration.ofMinutes(45)));
    private final Vitals vitals = new Vitals(82, 96, 16, 121, 77, 37.1);
    private final OffsetDateTime time = OffsetDateTime.parse("2026-11-24T10:00:00Z");

    @Test
    void shouldWriteAPcd01MessageVigilReadsIntoValidFhir() throws Exception {
        ObservationBatch batch = TestPipeline.extract(SimulatedMessages.pcd01(bed, vitals, time, "SIM-1", true));

        assertThat(batch.observations()).extracting(o -> o.code().loinc())
                .containsExactly("8867-4", "2708-6", "9279-1", "8480-6", "8462-4", "8478-0", "8310-5");
        assertThat(batch.observations()).allSatisfy(o -> {
            assertThat(o.patient().system()).isEqualTo(SimulatedMessages.PATIENT_SYSTEM);
            assertThat(o.device().id()).isEqualTo(bed.eui64());
        });
        assertThat(FhirValidation.errors(TestPipeline.bundle(batch))).isEmpty();
    }

    @Test
    void theLoadToolsMessagesTakeThePlainTextReading() throws Exception {
        // what the load figures measure is the reading real PCD-01 gateways get: straight from the text, not HAPI
        for (boolean periodic : new boolean[] {false, true}) {
            String message = SimulatedMessages.pcd01(bed, vitals, time, "SIM-2", periodic);
            assertThat(Pcd01Text.read(message.strip())).as("periodic %s", periodic).isNotNull();
            assertThat(TestPipeline.extract(message))
                    .isEqualTo(TestPipeline.EXTRACTOR.extract(TestPipeline.CODEC.parse(message), Instant.parse("2026-01-01T00:00:00Z"), "0"));
        }
    }

    @Test
    void shouldWriteDeviceJsonVigilReadsIntoValidFhir() throws Exception {
        String json = SimulatedMessages.deviceJson(bed, vitals, time, "SIMQ-1", true);
        ObservationBatch batch = new DeviceJsonReader(TestPipeline.TERMINOLOGY)
                .read(json.getBytes(StandardCharsets.UTF_8), bed.eui64(), Instant.now());

        assertThat(batch.observations()).hasSize(6);
        assertThat(batch.observations()).extracting(o -> o.value().ucum()).containsExactly("%", "/min", "/min", "mm[Hg]", "mm[Hg]", "Cel");
        assertThat(FhirValidation.errors(TestPipeline.bundle(batch))).isEmpty();
    }
}
