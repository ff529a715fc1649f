package io.vigil.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

/** The 16 NEWS2 vectors of the reference, scored by the shipped rules/clinical/news2.drl. */
class News2VectorsTest {

    private static News2Scorer scorer;

    @BeforeAll
    static void rules() throws Exception {
        scorer = new News2Scorer(new RuleEngine(Path.of("rules")), News2Band.LOW_MEDIUM);
    }

    private static News2Input input(int rr, int spo2, String o2, int sbp, int hr, String acvpu, String temp, int scale) {
        return new News2Input(rr, spo2, "O2".equals(o2), sbp, hr, acvpu, News2Rounding.tenths(new BigDecimal(temp)), scale);
    }

    @ParameterizedTest(name = "{0}")
    @CsvFileSource(resources = "/rules/news2-vectors.csv", numLinesToSkip = 1)
    void shouldScoreLikeTheRcpChart(String id, int rr, int spo2, String o2, int sbp, int hr, String acvpu, String temp,
                                    int scale, String subscores, int total, String band) {
        News2Result result = scorer.score(input(rr, spo2, o2, sbp, hr, acvpu, temp, scale));

        Map<String, Integer> expected = new LinkedHashMap<>();
        String[] points = subscores.split(";");
        for (int i = 0; i < News2Score.PARAMETERS.length; i++) {
            expected.put(News2Score.PARAMETERS[i], Integer.parseInt(points[i]));
        }
        assertThat(result.subscores()).isEqualTo(expected);
        assertThat(result.total()).isEqualTo(total);
        assertThat(result.band().code()).isEqualTo(band);
        assertThat(result.partial()).isFalse();
    }

    @Test
    void shouldMarkAScoreFromIncompleteParametersPartialAndSayWhichAreMissing() {
        News2Result result = scorer.score(new News2Input(22, 95, null, null, 95, null, null, 1));

        assertThat(result.partial()).isTrue();
        assertThat(result.missing()).containsExactly("air-or-oxygen", "systolic-bp", "consciousness", "temperature");
        assertThat(result.total()).isEqualTo(4);
    }

    @Test
    void shouldRoundDeviceValuesHalfUpBeforeScoring() {
        assertThat(News2Rounding.whole(new BigDecimal("90.5"))).isEqualTo(91);
        assertThat(News2Rounding.whole(new BigDecimal("95.4"))).isEqualTo(95);
        assertThat(News2Rounding.tenths(new BigDecimal("38.05"))).isEqualTo(381);
        News2Result sbp905 = scorer.score(new News2Input(null, null, null, News2Rounding.whole(new BigDecimal("90.5")), null, null, null, 1));
        assertThat(sbp905.subscores()).containsEntry("systolic-bp", 2);
    }

    @Test
    void singleThreeBandShouldFollowConfiguration() {
        News2Scorer strict = new News2Scorer(scorerEngine(), News2Band.MEDIUM);
        News2Result d4 = strict.score(new News2Input(25, 97, false, 130, 80, "A", 370, 1));

        assertThat(d4.band()).isEqualTo(News2Band.MEDIUM);
    }

    @Test
    void qsofaShouldCountTheSepsis3Criteria() {
        assertThat(scorer.score(new News2Input(22, null, null, 100, null, "A", null, 1), List.of()).qsofa().points()).isEqualTo(2);
        assertThat(scorer.score(new News2Input(21, null, null, 101, null, "C", null, 1), List.of()).qsofa().points()).isEqualTo(1);
        assertThat(scorer.score(new News2Input(30, null, null, 85, null, "C", null, 1), List.of()).qsofa().points()).isEqualTo(3);
    }

    private static RuleEngine scorerEngine() {
        try {
            return new RuleEngine(Path.of("rules"));
        } catch (RuleSetRejectedException e) {
            throw new IllegalStateException(e);
        }
    }
}
