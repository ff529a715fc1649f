package io.vigil.governance;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.ObservationBatch;
import io.vigil.support.FhirValidation;
import io.vigil.support.TestFolders;
import io.vigil.support.TestPipeline;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.Test;

/** Every one of the 18 Safe Harbor identifier kinds, seeded in one message, is absent from the research bundle. */
class SafeHarborTest {

    private static final String MESSAGE = String.join("\r",
            "MSH|^~\\&|MONITOR-7^0A1B2C3D4E5F6071^EUI-64|GENERAL HOSPITAL|||20261124103015+0100||ORU^R01^ORU_R01|CTRL-UNIQUE-778899|P|2.6",
            "PID|1||MRN-55501^^^GENHOSP^MR~HPB-99887766^^^AETNA^MB~ACC-443322^^^GENHOSP^AN||Fitzgerald^Eleanor^Q||19350412|F|||"
                    + "742 Evergreen Terrace^^Springfield^IL^62704||(217)555-0142^PRN^PH~(217)555-0199^PRN^FX~eleanor.fitz@example.org^NET^Internet"
                    + "|||||ACC-443322|123-45-6789|D1234567^IL",
            "PV1||I|CARDIO^R-304X^B-77^GENERAL HOSPITAL",
            "OBR|1|||182777000^monitoring of patient^SCT|||20261124103015+0100",
            "OBX|1||69965^MDC_DEV_MON_PHYSIO_MULTI_PARAM_MDS^MDC|1.0.0.0|||||||X|||||||SN-ZX81-000123^SerialNo",
            "OBX|2|NM|147842^MDC_ECG_HEART_RATE^MDC|1.1.1.1|72|/min^/min^UCUM|||||F|||20261124103015+0100||||0A1B2C3D4E5F6071^^0A1B2C3D4E5F6071^EUI-64",
            "OBX|3|NM|150456^MDC_PULS_OXIM_SAT_O2^MDC|1.2.1.1|96|%^%^UCUM|||||F|||20261124103015+0100||||10.20.30.40-GW^GATEWAY",
            "OBX|4|ST|184327^MDC_ECG_STAT_RHY^MDC|1.1.4.1|Plate ILX-4455 photo https://photos.example.org/eleanor.jpg fingerprint FP-0099|||||F|||20261124103015+0100",
            "NTE|1||Eleanor Fitzgerald, 91 years old");

    /** Safe Harbor 164.514(b)(2)(i)(A)-(R): the seeds of each kind. */
    private static final Map<String, String[]> SEEDS = Map.ofEntries(
            Map.entry("A names", new String[] {"Fitzgerald", "Eleanor"}),
            Map.entry("B geography below State", new String[] {"Evergreen", "Springfield", "62704", "CARDIO", "R-304X", "B-77"}),
            Map.entry("C dates other than year, ages over 89", new String[] {"1935", "11-24", "10:30", "91 years"}),
            Map.entry("D telephone", new String[] {"555-0142"}),
            Map.entry("E fax", new String[] {"555-0199"}),
            Map.entry("F e-mail", new String[] {"eleanor.fitz@example.org"}),
            Map.entry("G social security", new String[] {"123-45-6789"}),
            Map.entry("H medical record", new String[] {"MRN-55501"}),
            Map.entry("I health plan", new String[] {"HPB-99887766"}),
            Map.entry("J account", new String[] {"ACC-443322"}),
            Map.entry("K certificate or licence", new String[] {"D1234567"}),
            Map.entry("L vehicle", new String[] {"ILX-4455"}),
            Map.entry("M device identifiers and serials", new String[] {"0A1B2C3D4E5F6071", "SN-ZX81-000123", "MONITOR-7"}),
            Map.entry("N URL", new String[] {"photos.example.org"}),
            Map.entry("O IP address", new String[] {"10.20.30.40"}),
            Map.entry("P biometric", new String[] {"FP-0099"}),
            Map.entry("Q photograph", new String[] {"eleanor.jpg"}),
            Map.entry("R other unique numbers", new String[] {"CTRL-UNIQUE-778899", "GENERAL HOSPITAL", "GENHOSP"}));

    @Test
    void shouldRemoveEveryIdentifierKindFromTheResearchBundle() throws Exception {
        ObservationBatch batch = TestPipeline.extract(MESSAGE);
        String treatment = TestPipeline.BUNDLES.toJson(TestPipeline.bundle(batch));
        SafeHarbor safeHarbor = new SafeHarbor(TestFolders.create("vigil-safe-harbor"));

        Bundle research = TestPipeline.BUNDLES.buildDeidentified(safeHarbor.deidentify(batch), "none", "HRESCH");
        String json = TestPipeline.BUNDLES.toJson(research).toLowerCase(Locale.ROOT);

        assertThat(treatment).contains("MRN-55501", "0A1B2C3D4E5F6071"); // the seeds do reach the canonical form
        SEEDS.forEach((kind, seeds) -> {
            for (String seed : seeds) {
                assertThat(json).as(kind + ": " + seed).doesNotContain(seed.toLowerCase(Locale.ROOT));
            }
        });
        assertThat(json).contains("\"effectivedatetime\":\"2026\"").contains("urn:vigil:research-subject")
                .contains("\"value\":72").contains("\"value\":96");
        assertThat(FhirValidation.errors(research)).isEmpty();
    }

    @Test
    void shouldGiveAPatientTheSamePseudonymAcrossMessagesAndRestarts() throws Exception {
        Path data = TestFolders.create("vigil-safe-harbor");
        ObservationBatch batch = TestPipeline.extract(MESSAGE);

        String first = new SafeHarbor(data).deidentify(batch).observations().get(0).patient().value();
        String again = new SafeHarbor(data).deidentify(batch).observations().get(0).patient().value();

        assertThat(again).isEqualTo(first).doesNotContain("55501");
    }
}
