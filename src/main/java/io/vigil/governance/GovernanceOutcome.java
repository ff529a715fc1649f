package io.vigil.governance;

import io.vigil.rules.GovernanceDecisions.Decision;
import java.util.List;
import java.util.Map;

/**
 * What the governance rules decided for one message.
 *
 * @param excluded observations (by position in the message) neither charted as values nor scored
 */
public record GovernanceOutcome(List<Decision> quarantines, List<Decision> holds, Map<Integer, Decision> excluded,
                                String ruleSetVersion) {

    public boolean quarantined() {
        return !quarantines.isEmpty();
    }

    public boolean held() {
        return !holds.isEmpty();
    }
}
