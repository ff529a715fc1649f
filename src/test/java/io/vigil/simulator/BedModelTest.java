package io.vigil.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BedModelTest {

    private static final Duration COURSE = Duration.ofMinutes(45);

    @Test
    void shouldKeepAStablePatientWithinNormalRanges() {
        BedModel stable = new BedModel(5, false, COURSE);
        for (int minute = 0; minute < 120; minute += 5) {
            Vitals v = stable.at(Duration.ofMinutes(minute));
            assertThat(v.heartRate()).isBetween(60, 95);
            assertThat(v.spo2()).isBetween(94, 100);
            assertThat(v.respiratoryRate()).isBetween(12, 20);
            assertThat(v.systolic()).isBetween(105, 140);
            assertThat(v.temperature()).isBetween(36.4, 37.4);
        }
    }

    @Test
    void shouldDeteriorateSlowlyTowardsSepsisLikeValues() {
        BedModel sick = new BedModel(1, true, COURSE);

        Vitals start = sick.at(Duration.ZERO);
        Vitals halfway = sick.at(COURSE.dividedBy(2));
        Vitals end = sick.at(COURSE.plusMinutes(10));

        assertThat(start.heartRate()).isLessThan(90);
        assertThat(halfway.heartRate()).isBetween(95, 112);
        assertThat(end.heartRate()).isGreaterThan(120);
        assertThat(end.spo2()).isLessThan(91);
        assertThat(end.respiratoryRate()).isGreaterThanOrEqualTo(25);
        assertThat(end.systolic()).isLessThan(95);
        assertThat(end.temperature()).isGreaterThan(38.5);
    }
}
