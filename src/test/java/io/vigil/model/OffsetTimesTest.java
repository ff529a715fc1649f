package io.vigil.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Canonical times read by their fixed positions give exactly what Jackson's time module gives. */
class OffsetTimesTest {

    /** What CanonicalJson read before: the time module alone, offsets kept. */
    private static final ObjectMapper STOCK = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE);

    @ParameterizedTest
    @ValueSource(strings = {"2026-11-25T03:10:03Z", "2026-11-25T03:10:03.6Z", "2026-11-25T03:10:03.625Z",
            "2026-11-25T03:10:03.625123+05:30", "2026-11-25T03:10:03.123456789-03:00", "1999-12-31T23:59:59.999+14:00",
            "2024-02-29T00:00:00-12:00", "2026-01-01T00:00:00.000-00:00", "2026-11-25T03:10:03.100+01:00"})
    void shouldReadCanonicalTimesAsTheTimeModuleDoes(String text) throws Exception {
        OffsetDateTime fast = OffsetTimes.parse(text);

        assertThat(fast).isNotNull();
        assertThat(fast).isEqualTo(OffsetDateTime.parse(text));
        assertThat(fast.getOffset()).isEqualTo(OffsetDateTime.parse(text).getOffset());
        assertThat(CanonicalJson.MAPPER.readValue('"' + text + '"', OffsetDateTime.class))
                .isEqualTo(STOCK.readValue('"' + text + '"', OffsetDateTime.class));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-11-25T03:10Z", "2026-11-25T03:10:03+0100", "2026-11-25T03:10:03.Z",
            "2026-11-25 03:10:03Z", "2026-11-25T03:10:03.1234567891Z", "2026-11-25T03:10:03+01"})
    void shouldLeaveOtherFormsToTheTimeModule(String text) throws Exception {
        assertThat(OffsetTimes.parse(text)).isNull();
        String json = '"' + text + '"';
        Object stock;
        try {
            stock = STOCK.readValue(json, OffsetDateTime.class);
        } catch (JsonMappingException e) {
            assertThatThrownBy(() -> CanonicalJson.MAPPER.readValue(json, OffsetDateTime.class))
                    .isInstanceOf(JsonMappingException.class);
            return;
        }
        assertThat(CanonicalJson.MAPPER.readValue(json, OffsetDateTime.class)).isEqualTo(stock);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-02-30T03:10:03Z", "2026-11-25T24:10:03Z", "2026-11-25T03:10:03+19:00",
            "2026-1a-25T03:10:03Z"})
    void shouldRefuseImpossibleTimesAsTheTimeModuleDoes(String text) {
        assertThat(OffsetTimes.parse(text)).isNull();
        assertThatThrownBy(() -> CanonicalJson.MAPPER.readValue('"' + text + '"', OffsetDateTime.class))
                .isInstanceOf(JsonMappingException.class);
    }

    @Test
    void shouldReadEveryTimeTheQueueFormatWrites() throws Exception {
        OffsetDateTime time = OffsetDateTime.of(2026, 11, 25, 3, 10, 3, 0, ZoneOffset.ofHoursMinutes(-9, -30));
        for (int nanos : new int[] {0, 100_000_000, 120_000_000, 123_000_000, 123_400_000, 123_456_000, 123_456_789, 1}) {
            OffsetDateTime value = time.withNano(nanos);
            String json = CanonicalJson.MAPPER.writeValueAsString(value);

            assertThat(OffsetTimes.parse(json.substring(1, json.length() - 1))).as(json).isEqualTo(value);
            assertThat(CanonicalJson.MAPPER.readValue(json, OffsetDateTime.class)).as(json).isEqualTo(value);
        }
    }
}
