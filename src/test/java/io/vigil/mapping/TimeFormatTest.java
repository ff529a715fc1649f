package io.vigil.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class TimeFormatTest {

    private static final OffsetDateTime WITHINGS = OffsetDateTime.parse("2015-05-31T06:06:23Z");

    @Test
    void epochSecondsMillisAndNanosShouldBeToldApartByMagnitude() {
        assertThat(TimeFormat.AUTO.read(1433052383, null, false)).isEqualTo(WITHINGS);
        assertThat(TimeFormat.AUTO.read(1433052383000L, null, false)).isEqualTo(WITHINGS);
        assertThat(TimeFormat.AUTO.read("1433052383000000000", null, false)).isEqualTo(WITHINGS);
        assertThat(TimeFormat.AUTO.read(1433052383000000L, null, false)).isEqualTo(WITHINGS);
    }

    @Test
    void namedEpochUnitsShouldBeTakenAsSaid() {
        assertThat(TimeFormat.EPOCH_MILLIS.read(1433052383123L, null, false))
                .isEqualTo(OffsetDateTime.parse("2015-05-31T06:06:23.123Z"));
        assertThat(TimeFormat.EPOCH_NANOS.read("1433052383000000001", null, false).getNano()).isEqualTo(1);
        assertThat(TimeFormat.EPOCH_SECONDS.read(1433052383.5, null, false).getNano()).isEqualTo(500_000_000);
    }

    @Test
    void isoShouldKeepItsOffsetAndLocalTimesTakeTheZone() {
        assertThat(TimeFormat.ISO.read("2019-01-30T22:45:02.6073744Z", null, false).getNano()).isEqualTo(607_374_400);
        assertThat(TimeFormat.AUTO.read("2020-02-05T07:25:00-08:00", null, false).getOffset()).isEqualTo(ZoneOffset.ofHours(-8));
        assertThat(TimeFormat.LOCAL.read("2015-08-21T00:01:00", ZoneId.of("Europe/London"), false))
                .isEqualTo(OffsetDateTime.parse("2015-08-21T00:01:00+01:00"));
        assertThat(TimeFormat.LOCAL.read("2015-12-21T00:01:00", ZoneId.of("Europe/London"), false).getOffset())
                .isEqualTo(ZoneOffset.UTC);
    }

    @Test
    void aLocalTimeWithoutZoneShouldBeRefusedWithTheFix() {
        assertThatThrownBy(() -> TimeFormat.ISO.read("2026-04-30T15:00:00", null, false))
                .hasMessageContaining("no UTC offset").hasMessageContaining("time.zone");
    }

    @Test
    void wallClockEpochShouldBeReadInItsZone() {
        // iHealth: MDate 1442491463 is 2015-09-17 12:04:23 on the wall clock of a -0800 zone
        assertThat(TimeFormat.EPOCH_SECONDS.read(1442491463, TimeFormat.zone("-0800"), true))
                .isEqualTo(OffsetDateTime.parse("2015-09-17T12:04:23-08:00"));
    }

    @Test
    void garbageShouldBeRefusedNamingWhatWasSent() {
        assertThatThrownBy(() -> TimeFormat.AUTO.read("yesterday", null, false)).hasMessageContaining("'yesterday'");
        assertThatThrownBy(() -> TimeFormat.AUTO.read(null, null, false)).hasMessageContaining("no time");
        assertThatThrownBy(() -> TimeFormat.zone("Mars/Olympus")).hasMessageContaining("not a time zone");
    }
}
