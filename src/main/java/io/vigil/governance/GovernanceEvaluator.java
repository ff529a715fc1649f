package io.vigil.governance;

import io.vigil.model.DeviceObservation;
import io.vigil.model.ObservationBatch;
import io.vigil.rules.ClinicalParameters;
import io.vigil.rules.GovernanceDecisions;
import io.vigil.rules.MessageFact;
import io.vigil.rules.RuleEngine;
import io.vigil.rules.ValueFact;
import java.util.ArrayList;
import java.util.List;

/** Runs the rules in rules/governance on one message. */
public final class GovernanceEvaluator {

    private final RuleEngine engine;
    private final ClinicalParameters parameters;
    private final DeviceRegistry registry;
    private final boolean registryEnforced;

    public GovernanceEvaluator(RuleEngine engine, ClinicalParameters parameters, DeviceRegistry registry,
                               boolean registryEnforced) {
        this.engine = engine;
        this.parameters = parameters;
        this.registry = registry;
        this.registryEnforced = registryEnforced;
    }

    /** @param productionDestination whether the bundle would go to a production EHR */
    public GovernanceOutcome evaluate(ObservationBatch batch, boolean productionDestination) {
        List<DeviceObservation> observations = batch.observations();
        String deviceId = observations.stream().map(o -> o.device().id()).filter(id -> id != null).findFirst().orElse(null);
        String status = deviceId == null ? "UNKNOWN" : registry.seen(deviceId, batch.source().protocol(), batch.source().receivedAt());
        boolean patientResolved = !observations.isEmpty()
                && observations.stream().allMatch(o -> o.patient() != null && o.patient().resolved());
        List<Object> facts = new ArrayList<>();
        facts.add(new MessageFact(batch.source().protocol(), batch.source().processingId(), deviceId, status,
                registryEnforced, patientResolved, productionDestination));
        for (int i = 0; i < observations.size(); i++) {
            DeviceObservation o = observations.get(i);
            facts.add(new ValueFact(i, parameters.parameterOf(o.code().loinc()).orElse(null), o.code().loinc(),
                    o.value().hasQuantity() ? o.value().quantity().doubleValue() : null, o.flags(), o.status()));
        }
        RuleEngine.Evaluation evaluation = engine.evaluate(facts);
        GovernanceDecisions decisions = evaluation.governance();
        return new GovernanceOutcome(decisions.quarantines(), decisions.holds(), decisions.excluded(),
                evaluation.ruleSetVersion());
    }
}
