package io.vigil.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuleEngineTest {

    @Test
    void shouldBuildTheShippedRuleSet() throws Exception {
        RuleEngine engine = new RuleEngine(Path.of("rules"));

        assertThat(engine.version()).hasSize(12);
        assertThat(engine.ruleCount()).isGreaterThan(40);
        assertThat(engine.files()).contains("clinical/news2.drl", "clinical/thresholds.drl.csv");
    }

    @Test
    void wardRowShouldReplaceTheDefaultRowOfItsParameter() throws Exception {
        RuleEngine engine = new RuleEngine(Path.of("rules"));

        var general = engine.evaluate(List.of(new Reading("pulse", 140, "WARD7"))).decisions().alerts();
        var icu = engine.evaluate(List.of(new Reading("pulse", 140, "ICU"))).decisions().alerts();
        var icuHigh = engine.evaluate(List.of(new Reading("pulse", 155, "ICU"))).decisions().alerts();

        assertThat(general).extracting(Alert::cause).containsExactly("threshold:heart-rate-high");
        assertThat(general.get(0).rule()).isEqualTo("Heart rate");
        assertThat(icu).isEmpty();
        assertThat(icuHigh).extracting(Alert::rule).containsExactly("Heart rate ICU");
    }
}
