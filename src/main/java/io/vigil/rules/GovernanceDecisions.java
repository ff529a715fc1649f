package io.vigil.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The global "governance" of a rule evaluation: what may leave the building, and why not. */
public class GovernanceDecisions {

    /** A decision with the rule that made it and the reason an operator reads. */
    public record Decision(String code, String reason, String rule) {
    }

    private final List<Decision> quarantines = new ArrayList<>();
    private final List<Decision> holds = new ArrayList<>();
    private final Map<Integer, Decision> excluded = new TreeMap<>();
    private final FireCounts fired;

    public GovernanceDecisions(FireCounts fired) {
        this.fired = fired;
    }

    /** The whole message goes to quarantine (nothing is charted). */
    public void quarantine(String code, String reason, String rule) {
        quarantines.add(new Decision(code, reason, rule));
        fired.fired(rule);
    }

    /** The whole message waits for patient association. */
    public void hold(String code, String reason, String rule) {
        holds.add(new Decision(code, reason, rule));
        fired.fired(rule);
    }

    /** One value is neither charted as a value nor scored. */
    public void exclude(int index, String code, String reason, String rule) {
        excluded.putIfAbsent(index, new Decision(code, reason, rule));
        fired.fired(rule);
    }

    public List<Decision> quarantines() {
        return List.copyOf(quarantines);
    }

    public List<Decision> holds() {
        return List.copyOf(holds);
    }

    public Map<Integer, Decision> excluded() {
        return Map.copyOf(excluded);
    }
}
