package io.vigil.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.support.RuleFolders;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
    void eachEvaluationShouldSeeOnlyItsOwnFacts() throws Exception {
        RuleEngine engine = new RuleEngine(Path.of("rules"));
        MessageFact production = new MessageFact("hl7v2-mllp", "P", "0A0B0C0D0E0F1011", "APPROVED", false, true, true);

        // working memories are reused: what one evaluation inserted and decided must not reach the next
        var test = engine.evaluate(List.of(production, new ValueFact(0, "pulse", "8867-4", 80.0, Set.of("TEST"), "final")));
        var plain = engine.evaluate(List.of(production, new ValueFact(0, "pulse", "8867-4", 80.0, Set.of(), "final")));
        var implausible = engine.evaluate(List.of(production, new ValueFact(0, "pulse", "8867-4", 912.0, Set.of(), "final")));
        var plainAgain = engine.evaluate(List.of(production, new ValueFact(0, "pulse", "8867-4", 80.0, Set.of(), "final")));

        assertThat(test.governance().quarantines()).extracting(GovernanceDecisions.Decision::code).containsExactly("VIGIL-GOV-002");
        assertThat(plain.governance().quarantines()).isEmpty();
        assertThat(implausible.governance().excluded()).containsOnlyKeys(0);
        assertThat(plainAgain.governance().excluded()).isEmpty();
        assertThat(plainAgain.governance().quarantines()).isEmpty();
    }

    @Test
    void evaluationThatFailsShouldNotSpoilTheNext() throws Exception {
        Path rules = RuleFolders.copyOfRules();
        Files.writeString(rules.resolve("clinical/failing.drl"), """
                package vigil.clinical;
                import io.vigil.rules.Reading;
                rule "fails on a reading of parameter boom"
                when
                    Reading(parameter == "boom")
                then
                    throw new IllegalStateException("boom");
                end
                """);
        RuleEngine engine = new RuleEngine(rules);

        assertThatThrownBy(() -> engine.evaluate(List.of(new Reading("boom", 1, "WARD7"), new Reading("pulse", 140, "WARD7"))))
                .hasStackTraceContaining("boom");
        var next = engine.evaluate(List.of(new Reading("pulse", 140, "WARD7"))).decisions().alerts();

        assertThat(next).extracting(Alert::cause).containsExactly("threshold:heart-rate-high");
    }

    @Test
    void evaluationsOnManyThreadsShouldDecideAsOneAtATime() throws Exception {
        RuleEngine engine = new RuleEngine(Path.of("rules"));
        int[] pulses = {60, 140, 155, 45, 30};
        String[] wards = {"WARD7", "ICU"};
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            expected.add(alerts(engine, pulses[i % pulses.length], wards[i % wards.length]));
        }
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<List<String>>> runs = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                runs.add(threads.submit(() -> {
                    List<String> seen = new ArrayList<>();
                    for (int i = 0; i < 100; i++) {
                        seen.add(alerts(engine, pulses[i % pulses.length], wards[i % wards.length]));
                    }
                    return seen;
                }));
            }
            for (Future<List<String>> run : runs) {
                assertThat(run.get()).isEqualTo(expected);
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(expected).contains("[Heart rate]", "[Heart rate ICU]", "[]");
    }

    private static String alerts(RuleEngine engine, int pulse, String ward) {
        return engine.evaluate(List.of(new Reading("pulse", pulse, ward))).decisions().alerts().stream()
                .map(Alert::rule).toList().toString();
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
