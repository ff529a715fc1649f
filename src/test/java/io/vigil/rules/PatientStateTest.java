package io.vigil.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** What a patient's state gives back is what was recorded, kept in its own fields rather than the message's objects. */
class PatientStateTest {

    private static final OffsetDateTime T0 = OffsetDateTime.of(2026, 12, 7, 8, 0, 0, 123_456_789, ZoneOffset.ofHours(1));
    private static final String ID = "0f4c2a9e-3b1d-5c6e-8f70-91a2b3c4d5e6";

    @Test
    void aValueShouldComeBackAsRecordedWithoutTheRecordedObjects() {
        PatientState state = new PatientState();
        BigDecimal value = new BigDecimal("37.50");

        state.record("temperature", value, null, T0, ID);

        PatientState.Latest latest = state.fresh("temperature", Duration.ofMinutes(10));
        assertThat(latest.value()).isEqualTo(value).isNotSameAs(value); // scale kept: 37.50, not 37.5
        assertThat(latest.value().scale()).isEqualTo(2);
        assertThat(latest.time()).isEqualTo(T0.toInstant());
        assertThat(latest.observationId()).isEqualTo(ID).isNotSameAs(ID);
        assertThat(latest.text()).isNull();
    }

    @Test
    void textIdsThatAreNoUuidAndLongNumbersShouldBeKeptAsTheyCame() {
        PatientState state = new PatientState();
        BigDecimal wide = new BigDecimal("12345678901234567890.123");
        String upperCase = ID.toUpperCase();

        state.record("consciousness", null, "A", T0, "obs-1");
        state.record("pulse", wide, null, T0, upperCase);

        PatientState.Latest consciousness = state.fresh("consciousness", Duration.ofMinutes(10));
        assertThat(consciousness.value()).isNull();
        assertThat(consciousness.text()).isEqualTo("A");
        assertThat(consciousness.observationId()).isEqualTo("obs-1");
        PatientState.Latest pulse = state.fresh("pulse", Duration.ofMinutes(10));
        assertThat(pulse.value()).isEqualTo(wide);
        assertThat(pulse.observationId()).isEqualTo(upperCase);
        state.record("pulse", new BigDecimal("-72"), null, T0.plusSeconds(1), null);
        assertThat(state.fresh("pulse", Duration.ofMinutes(10)).value()).isEqualTo(new BigDecimal("-72"));
        assertThat(state.fresh("pulse", Duration.ofMinutes(10)).observationId()).isNull();
    }

    @Test
    void aLateValueShouldNotReplaceANewerOneAndAnEqualTimeShould() {
        PatientState state = new PatientState();
        state.record("spo2", new BigDecimal("95"), null, T0, ID);

        state.record("spo2", new BigDecimal("99"), null, T0.minusNanos(1), "late");
        assertThat(state.fresh("spo2", Duration.ofMinutes(10)).value()).isEqualTo(new BigDecimal("95"));
        assertThat(state.fresh("spo2", Duration.ofMinutes(10)).observationId()).isEqualTo(ID);

        state.record("spo2", new BigDecimal("94"), null, T0.withOffsetSameInstant(ZoneOffset.UTC), "same-instant");
        assertThat(state.fresh("spo2", Duration.ofMinutes(10)).value()).isEqualTo(new BigDecimal("94"));
    }

    @Test
    void aValueOlderThanTheFreshnessBeforeThePatientsNewestShouldNotCount() {
        PatientState state = new PatientState();
        state.record("respiration-rate", new BigDecimal("18"), null, T0, "rr");
        state.record("pulse", new BigDecimal("80"), null, T0.plusMinutes(10), "pulse");

        assertThat(state.fresh("respiration-rate", Duration.ofMinutes(10))).isNotNull();
        assertThat(state.fresh("respiration-rate", Duration.ofMinutes(10).minusNanos(1))).isNull();
        assertThat(state.fresh("pulse", Duration.ofSeconds(1)).value()).isEqualTo(new BigDecimal("80"));
        assertThat(state.fresh("systolic-bp", Duration.ofMinutes(10))).isNull();
    }

    @Test
    void theSpo2TrendAndTheLastUpdateShouldFollowTheRecords() {
        PatientState state = new PatientState();
        long before = System.currentTimeMillis();
        state.record("spo2", new BigDecimal("97"), null, T0, "a");
        state.record("spo2", new BigDecimal("93"), null, T0.plusMinutes(5), "b");
        state.record("spo2", new BigDecimal("91"), null, T0.plusMinutes(30), "c");

        assertThat(state.spo2Drop(Duration.ofMinutes(30))).isEqualTo(6);
        assertThat(state.spo2Drop(Duration.ofMinutes(25))).isEqualTo(2);
        assertThat(state.touchedMillis()).isBetween(before, System.currentTimeMillis()); // when recorded, not measured
    }
}
