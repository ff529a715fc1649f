package io.vigil.rules;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * What the clinical rules concluded for one patient after a message.
 *
 * @param news2 the current score
 * @param news2Changed true when total, band or missing parameters differ from the previous score
 * @param basis identifiers of the Observations the score used, when it changed (what its RiskAssessment cites);
 *              empty when it did not
 * @param at time of the newest value scored
 */
public record ClinicalOutcome(String patientKey, News2Result news2, boolean news2Changed, int qsofaPoints,
                              List<AlertOutcome> alerts, List<String> basis, OffsetDateTime at, String ruleSetVersion) {

    public List<AlertOutcome> raisedOrResolved() {
        return alerts.stream().filter(a -> a.kind() != AlertOutcome.Kind.SUPPRESSED).toList();
    }
}
