package io.vigil.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.rules.Alert;
import io.vigil.rules.Reading;
import io.vigil.rules.RuleEngine;
import io.vigil.rules.RuleSetRejectedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import io.vigil.support.RuleFolders;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every example in docs/rules.md, applied to a copy of rules/, does what the guide says. */
class RulesGuideTest {

    private static final Pattern EXAMPLE = Pattern.compile("<!-- example: (\\S+) -->\\s*```\\w*\\n(.*?)```", Pattern.DOTALL);
    private static final Map<String, String> EXAMPLES = new HashMap<>();

    @BeforeAll
    static void readGuide() throws IOException {
        Matcher m = EXAMPLE.matcher(Files.readString(Path.of("docs/rules.md")));
        while (m.find()) {
            EXAMPLES.put(m.group(1), m.group(2));
        }
        assertThat(EXAMPLES).containsOnlyKeys("threshold-edit", "ward-override", "new-rule", "broken-rule");
    }

    private static List<String> alerts(RuleEngine engine, Reading reading) {
        return engine.evaluate(List.of(reading)).decisions().alerts().stream().map(a -> a.cause() + " by " + a.rule()).toList();
    }

    @Test
    void thresholdEditShouldMoveTheHeartRateLimit() throws Exception {
        Path rules = RuleFolders.copyOfRules();
        assertThat(alerts(new RuleEngine(rules), new Reading("pulse", 125, "WARD7"))).isEmpty();
        Path table = rules.resolve("clinical/thresholds.drl.csv");
        String edited = Files.readString(table).replaceAll("(?m)^Heart rate,0,.*$", EXAMPLES.get("threshold-edit").strip());
        Files.writeString(table, edited);

        assertThat(alerts(new RuleEngine(rules), new Reading("pulse", 125, "WARD7")))
                .containsExactly("threshold:heart-rate-high by Heart rate");
    }

    @Test
    void wardOverrideShouldApplyInItsWardOnly() throws Exception {
        Path rules = RuleFolders.copyOfRules();
        Files.writeString(rules.resolve("clinical/thresholds.drl.csv"), EXAMPLES.get("ward-override"),
                java.nio.file.StandardOpenOption.APPEND);
        RuleEngine engine = new RuleEngine(rules);

        assertThat(alerts(engine, new Reading("pulse", 135, "CCU"))).isEmpty();
        assertThat(alerts(engine, new Reading("pulse", 145, "CCU"))).containsExactly("threshold:heart-rate-high by Heart rate CCU");
        assertThat(alerts(engine, new Reading("pulse", 135, "WARD7"))).containsExactly("threshold:heart-rate-high by Heart rate");
    }

    @Test
    void newRuleShouldRaiseItsAlert() throws Exception {
        Path rules = RuleFolders.copyOfRules();
        Files.writeString(rules.resolve("clinical/hyperpyrexia.drl"), EXAMPLES.get("new-rule"));
        RuleEngine engine = new RuleEngine(rules);

        List<Alert> raised = engine.evaluate(List.of(new Reading("temperature", 40.2, "WARD7"))).decisions().alerts();

        assertThat(raised).extracting(Alert::cause).contains("hyperpyrexia");
        assertThat(raised).filteredOn(a -> a.cause().equals("hyperpyrexia")).extracting(Alert::text).containsExactly("temperature 40.2 Cel");
    }

    @Test
    void brokenRuleShouldBeRefusedWithFileAndLineWhileTheOldSetRuns() throws Exception {
        Path rules = RuleFolders.copyOfRules();
        RuleEngine engine = new RuleEngine(rules);
        String version = engine.version();
        Files.writeString(rules.resolve("clinical/half.drl"), EXAMPLES.get("broken-rule"));

        assertThat(engine.reload()).isFalse();
        assertThat(engine.version()).isEqualTo(version);
        assertThat(engine.lastRefusal()).anySatisfy(p -> assertThat(p).matches("clinical/half\\.drl:\\d+: .+"));
        assertThat(alerts(engine, new Reading("pulse", 135, "WARD7"))).isNotEmpty();
        assertThatThrownBy(() -> new RuleEngine(rules)).isInstanceOf(RuleSetRejectedException.class)
                .hasMessageContaining("VIGIL-RUL-001");
    }
}
