package io.vigil.rules;

import java.util.LinkedHashMap;
import java.util.Map;

/** Collects the NEWS2 sub-scores that the rules in rules/clinical assign, one per parameter. */
public class News2Score {

    public static final String[] PARAMETERS = {
        "respiration-rate", "spo2", "air-or-oxygen", "systolic-bp", "pulse", "consciousness", "temperature"};

    private final Map<String, Integer> subscores = new LinkedHashMap<>();
    private final Map<String, String> rules = new LinkedHashMap<>();
    private final FireCounts fired;

    public News2Score(FireCounts fired) {
        this.fired = fired;
    }

    /** Called from rule consequences. A second score for the same parameter is a rule-set error. */
    public void score(String parameter, int points, String rule) {
        Integer previous = subscores.putIfAbsent(parameter, points);
        if (previous != null) {
            throw new IllegalStateException("NEWS2 parameter " + parameter + " scored twice: by "
                    + rules.get(parameter) + " and " + rule);
        }
        rules.put(parameter, rule);
        fired.fired(rule);
    }

    public Map<String, Integer> subscores() {
        return Map.copyOf(subscores);
    }

    public Map<String, String> rules() {
        return Map.copyOf(rules);
    }
}
