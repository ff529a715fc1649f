package io.vigil.fhir;

import io.vigil.governance.GovernanceOutcome;
import io.vigil.rules.ClinicalOutcome;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;

/**
 * What happens to one message: delivered as {@code bundle}, quarantined or held (with {@code reason}), or
 * nothing to do ("empty"); with the governance and clinical conclusions behind it.
 */
public record MessageDecision(String outcome, String reason, GovernanceOutcome governance,
                              List<ClinicalOutcome> clinical, Bundle bundle, List<String> patientKeys) {
}
