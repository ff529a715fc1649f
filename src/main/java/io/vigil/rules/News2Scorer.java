package io.vigil.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Scores NEWS2 with the active rules: the chart lives in rules/clinical/news2.drl, the sums and bands here. */
public final class News2Scorer {

    private final RuleEngine engine;
    private final News2Band singleThreeBand;

    public News2Scorer(RuleEngine engine, News2Band singleThreeBand) {
        this.engine = engine;
        this.singleThreeBand = singleThreeBand;
    }

    /** Scores NEWS2 and qSOFA from one input; the rules for both run in one evaluation. */
    public Scores score(News2Input input, List<Object> otherFacts) {
        News2Score news2 = new News2Score(engine.counter());
        QsofaScore qsofa = new QsofaScore(engine.counter());
        List<Object> facts = new ArrayList<>(otherFacts.size() + 1);
        facts.addAll(otherFacts);
        facts.add(input);
        RuleEngine.Evaluation evaluation = engine.evaluate(facts, news2, qsofa);
        Map<String, Integer> subscores = news2.subscores();
        List<String> missing = new ArrayList<>();
        for (String parameter : News2Score.PARAMETERS) {
            if (!subscores.containsKey(parameter)) {
                missing.add(parameter);
            }
        }
        int total = subscores.values().stream().mapToInt(Integer::intValue).sum();
        boolean anyThree = subscores.values().stream().anyMatch(points -> points == 3);
        News2Result result = new News2Result(total, News2Band.of(total, anyThree, singleThreeBand), subscores,
                List.copyOf(missing), evaluation.ruleSetVersion());
        return new Scores(result, qsofa, evaluation);
    }

    public News2Result score(News2Input input) {
        return score(input, List.of()).news2();
    }

    /** NEWS2, qSOFA and the alerts of the other rules that ran with them. */
    public record Scores(News2Result news2, QsofaScore qsofa, RuleEngine.Evaluation evaluation) {
    }
}
