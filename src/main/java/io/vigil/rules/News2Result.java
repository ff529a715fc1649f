package io.vigil.rules;

import java.util.List;
import java.util.Map;

/**
 * A NEWS2 score: total, band, the sub-score of each parameter, the parameters that had no fresh value
 * ({@code partial} when any), and the rule-set version that scored it.
 */
public record News2Result(int total, News2Band band, Map<String, Integer> subscores, List<String> missing,
                          String ruleSetVersion) {

    public boolean partial() {
        return !missing.isEmpty();
    }
}
