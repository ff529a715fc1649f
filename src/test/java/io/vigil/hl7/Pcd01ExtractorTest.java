package io.vigil.hl7;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.hl7v2.AcknowledgmentCode;
import io.vigil.model.DeviceObservation;
import io.vigil.model.ObservationBatch;
import io.vigil.support.Samples;
import io.vigil.support.TestPipeline;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

class Pcd01ExtractorTest {

    private static DeviceObservation byMdc(ObservationBatch batch, String mdc) {
        return batch.observations().stream().filter(o -> mdc.equals(o.code().mdcCode())).findFirst()
                .orElseThrow(() -> new AssertionError("no observation with MDC " + mdc + " in " + batch.observations()));
    }

    @Test
    void shouldReadPhilipsIntellivueHeartRateAndSkipDeviceRowsAndWaveform() throws Exception {
        ObservationBatch batch = TestPipeline.extract(Samples.hl7("01"));

        assertThat(batch.observations()).extracting(o -> o.code().mdcCode()).containsExactly("147842", "184327");
        assertThat(batch.skippedWaveforms()).isEqualTo(1);
        DeviceObservation hr = byMdc(batch, "147842");
        assertThat(hr.code().mdcRefId()).isEqualTo("MDC_ECG_CARD_BEAT_RATE");
        assertThat(hr.code().loinc()).isEqualTo("8867-4");
        assertThat(hr.value().quantity()).isEqualByComparingTo("60");
        assertThat(hr.value().ucum()).isEqualTo("/min");
        assertThat(hr.alarmLimits().low()).isEqualByComparingTo("50");
        assertThat(hr.alarmLimits().high()).isEqualByComparingTo("120");
        assertThat(hr.device().containment()).isEqualTo("1.2.1.1");
        assertThat(hr.device().id()).isEqualTo("0009FBFFFF9B42B3");
        assertThat(hr.device().kind()).isEqualTo("69965");
        assertThat(hr.effective()).isEqualTo(OffsetDateTime.parse("2021-04-25T23:03:31.496-04:00"));
        assertThat(hr.patient().value()).isEqualTo("12345");
        assertThat(hr.patient().system()).isEqualTo("urn:vigil:id:Philips");
        assertThat(hr.location().unit()).isEqualTo("My Unit");
        assertThat(hr.location().bed()).isEqualTo("Bed1");
        assertThat(hr.source().messageControlId()).isEqualTo("HP0425230332.872USDANRMMD1NBR488");
        assertThat(hr.source().processingId()).isEqualTo("D");
        assertThat(byMdc(batch, "184327").value().text()).isEqualTo("MDC_ECG_PACED_RHY");
    }

    @Test
    void shouldReadPhdStyleBloodPressureWithThreeLevelContainmentAndObrTime() throws Exception {
        ObservationBatch batch = TestPipeline.extract(Samples.hl7("02"));

        assertThat(batch.observations()).extracting(o -> o.code().mdcCode())
                .containsExactly("150021", "150022", "150023");
        assertThat(batch.observations()).extracting(DeviceObservation::panelRole)
                .containsExactly("systolic", "diastolic", "mean");
        DeviceObservation sys = byMdc(batch, "150021");
        assertThat(sys.value().quantity()).isEqualByComparingTo("120");
        assertThat(sys.value().ucum()).isEqualTo("mm[Hg]");
        assertThat(sys.effective()).isEqualTo(OffsetDateTime.parse("2009-08-13T09:57:15Z"));
        assertThat(sys.device().id()).isEqualTo("0123456789ABCDEF");
        assertThat(sys.status()).isEqualTo("preliminary");
        assertThat(sys.patient().system()).isEqualTo("urn:vigil:id:Imaginary-Hospital");
        assertThat(sys.location()).isNull();
    }

    @Test
    void shouldMatchMdcCodeInAlternateTripletAndMapAnnotatedUcum() throws Exception {
        ObservationBatch batch = TestPipeline.extract(Samples.hl7("03"));

        DeviceObservation pulse = batch.observations().get(0);
        assertThat(batch.observations()).hasSize(1);
        assertThat(pulse.code().mdcCode()).isEqualTo("149530");
        assertThat(pulse.code().mdcRefId()).isEqualTo("MDC_PULS_OXIM_PULS_RATE");
        assertThat(pulse.code().loinc()).isEqualTo("8867-4");
        assertThat(pulse.code().senderLoinc()).isEqualTo("8889-8");
        assertThat(pulse.value().ucum()).isEqualTo("/min");
        assertThat(pulse.value().unitAsSent()).isEqualTo("{beats}/min");
        assertThat(pulse.device().id()).isEqualTo("0123456789ABCDEF");
        assertThat(pulse.location().unit()).isEqualTo("ICU");
        assertThat(pulse.location().room()).isEqualTo("2");
        assertThat(pulse.location().bed()).isEqualTo("23");
        // OBX-14 carries no offset: read in the configured device zone (UTC in this test)
        assertThat(pulse.effective()).isEqualTo(OffsetDateTime.parse("2012-05-30T11:23:40Z"));
    }

    @Test
    void shouldReadAcmeGatewayNibpWithGatewayEuiFromObr() throws Exception {
        ObservationBatch batch = TestPipeline.extract(Samples.hl7("04"));

        assertThat(batch.observations()).extracting(o -> o.code().loinc())
                .containsExactly("8480-6", "8462-4", "8478-0", "8867-4");
        assertThat(batch.observations()).extracting(o -> o.value().quantity())
                .usingElementComparator(BigDecimal::compareTo)
                .containsExactly(new BigDecimal("120"), new BigDecimal("80"), new BigDecimal("93"), new BigDecimal("63"));
        assertThat(byMdc(batch, "149546").value().ucum()).isEqualTo("/min");
        assertThat(batch.observations()).allSatisfy(o -> assertThat(o.device().id()).isEqualTo("080019FFFE3ED02D"));
        assertThat(batch.skippedRows()).isEqualTo(3);
        assertThat(batch.observations().get(0).patient().value()).isEqualTo("HO2009001");
        assertThat(batch.observations().get(0).location().unit()).isEqualTo("HO Surgery");
    }

    @Test
    void shouldKeepDemoFlagsAndReadVendorContainmentWithCodeAsFourthLevel() throws Exception {
        ObservationBatch batch = TestPipeline.extract(Samples.hl7("05"));

        assertThat(batch.observations()).hasSize(6);
        assertThat(batch.observations()).allSatisfy(o -> assertThat(o.flags()).containsExactly("DEMO"));
        DeviceObservation spo2 = byMdc(batch, "150456");
        assertThat(spo2.device().containment()).isEqualTo("1.3.1.150456");
        assertThat(spo2.code().loinc()).isEqualTo("2708-6");
        assertThat(spo2.value().ucum()).isEqualTo("%");
        assertThat(spo2.device().id()).isEqualTo("00A0370098006640");
        assertThat(byMdc(batch, "150301").panelRole()).isEqualTo("systolic");
        assertThat(byMdc(batch, "150302").value().quantity()).isEqualByComparingTo("100");
        assertThat(byMdc(batch, "150488").code().loinc()).isNull();
        assertThat(byMdc(batch, "150301").effective()).isEqualTo(OffsetDateTime.parse("2020-02-12T12:50:08Z"));
    }

    @Test
    void shouldRejectAdtWithApplicationReject() {
        assertThatThrownBy(() -> TestPipeline.extract(Samples.hl7("10")))
                .isInstanceOfSatisfying(Hl7Rejection.class, r -> {
                    assertThat(r.ackCode()).isEqualTo(AcknowledgmentCode.AR);
                    assertThat(r.vigilCode()).isEqualTo("VIGIL-HL7-004");
                });
    }

    @Test
    void shouldRejectTextReportWithoutObservationCode() {
        assertThatThrownBy(() -> TestPipeline.extract(Samples.hl7("11")))
                .isInstanceOfSatisfying(Hl7Rejection.class, r -> {
                    assertThat(r.ackCode()).isEqualTo(AcknowledgmentCode.AE);
                    assertThat(r.location()).startsWith("OBX-3");
                });
    }

    @Test
    void shouldRejectNonNumericNmValueNamingTheField() {
        String broken = Samples.hl7("04").replace("|120|mm[Hg]", "|12O|mm[Hg]");
        assertThatThrownBy(() -> TestPipeline.extract(broken))
                .isInstanceOfSatisfying(Hl7Rejection.class, r -> {
                    assertThat(r.vigilCode()).isEqualTo("VIGIL-HL7-007");
                    assertThat(r.location()).isEqualTo("OBX-5 (OBX set id 4)");
                });
    }

    @Test
    void shouldRejectMessageWithoutControlId() {
        String broken = Samples.hl7("04").replace("|0104ef190d604db188c3|", "||");
        assertThatThrownBy(() -> TestPipeline.extract(broken))
                .isInstanceOfSatisfying(Hl7Rejection.class, r -> assertThat(r.location()).isEqualTo("MSH-10"));
    }

    @Test
    void shouldAcceptVersion24And25SendersIntoTheSameModel() throws Exception {
        for (String version : List.of("2.4", "2.5")) {
            ObservationBatch batch = TestPipeline.extract(Samples.hl7("04").replace("|P|2.6|", "|P|" + version + "|"));
            assertThat(batch.observations()).as(version).hasSize(4);
        }
    }

    @Test
    void philipsEfficiaMdilCodesShouldBeTranslatedByTheirCodeMap() throws Exception {
        ObservationBatch batch = TestPipeline.extract(Samples.hl7("12"));

        assertThat(batch.observations()).extracting(o -> o.code().mdcCode() + "=" + o.value().quantity().toPlainString()
                        + " " + o.value().ucum())
                .containsExactly("150456=98 %", "150021=122 mm[Hg]", "150022=85 mm[Hg]", "150023=98 mm[Hg]",
                        "149514=80 /min", "151552=20 /min", "150344=37.4 Cel");
        assertThat(byMdc(batch, "150021").panelRole()).isEqualTo("systolic");
        assertThat(byMdc(batch, "150021").effective()).isEqualTo(OffsetDateTime.parse("2014-05-10T12:44:30Z"));
        assertThat(byMdc(batch, "149514").value().unitAsSent()).isEqualTo("0004-0aa0");
        assertThat(batch.source().sender()).isEqualTo("EfficiaCM");
        assertThat(batch.observations()).allSatisfy(o -> assertThat(o.patient().value()).isEqualTo("MRN1234"));
    }

    @Test
    void mdilRowsWithoutAReadingShouldBeSkippedNotRefused() throws Exception {
        // the two OBX rows of sample 08 (OBX-11 X, no value) in the header of sample 12
        String header = Samples.hl7("12").split("\rOBX")[0];
        String fragments = String.join("\r", java.nio.file.Files.readAllLines(
                java.nio.file.Path.of("src/test/resources/samples/hl7/08_philips_efficia_cm_mdil_obx_fragments.txt")))
                .replace("<CR>", "");

        ObservationBatch batch = TestPipeline.extract(header + "\r" + fragments);

        assertThat(batch.observations()).isEmpty();
        assertThat(batch.skippedRows()).isEqualTo(2);
    }

    @Test
    void anMdilCodeMissingFromItsCodeMapShouldBeRefusedNamingTheMap() {
        String hl7 = Samples.hl7("12").replace("0002-5000^Resp^MDIL", "0002-5999^Odd^MDIL");

        assertThatThrownBy(() -> TestPipeline.extract(hl7)).isInstanceOfSatisfying(Hl7Rejection.class, e ->
                assertThat(e.describe()).startsWith("VIGIL-HL7-008").contains("0002-5999").contains("philips-mdil.csv"));
    }
}
