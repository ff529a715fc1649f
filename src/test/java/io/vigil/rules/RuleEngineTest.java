package io.vigil.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.support.RuleFolders;
import java.nio.file.Files;
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

    @Test
    void setBuiltInTheBackgroundShouldBeTheSameSetAndWaitedForOnFirstUse() throws Exception {
        RuleEngine background = RuleEngine.buildInBackground(Path.of("rules"));

        var alerts = background.evaluate(List.of(new Reading("pulse", 140, "WARD7"))).decisions().alerts();

        assertThat(alerts).extracting(Alert::cause).containsExactly("threshold:heart-rate-high");
        assertThat(background.version()).isEqualTo(new RuleEngine(Path.of("rules")).version());
        background.awaitFirstSet();
    }

    @Test
    void brokenSetBuiltInTheBackgroundShouldBeReportedWithFileAndLine() throws Exception {
        Path rules = RuleFolders.copyOfRules();
        Files.writeString(rules.resolve("clinical/broken.drl"), "package vigil.clinical;\nrule \"half\" when then\n");

        RuleEngine background = RuleEngine.buildInBackground(rules);

        assertThatThrownBy(background::awaitFirstSet).isInstanceOf(RuleSetRejectedException.class)
                .hasMessageContaining("VIGIL-RUL-001").hasMessageContaining("clinical/broken.drl:");
        assertThatThrownBy(background::version).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("VIGIL-RUL-001");
    }
}
