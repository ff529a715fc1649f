package io.vigil.rules;

import java.util.ArrayList;
import java.util.List;

/** The global "decisions" of a rule evaluation: alerts raised by rule consequences. */
public class Decisions {

    private final List<Alert> alerts = new ArrayList<>();
    private final FireCounts fired;

    public Decisions(FireCounts fired) {
        this.fired = fired;
    }

    public void alert(String cause, int severity, String rule, String text) {
        alerts.add(new Alert(cause, severity, rule, text));
        fired.fired(rule);
    }

    /** Compares a reading with the limits a decision-table row set on it. */
    public void threshold(Reading reading, String cause, String rule) {
        fired.fired(rule);
        boolean low = reading.below() != null && reading.getValue() < reading.below();
        boolean high = reading.above() != null && reading.getValue() > reading.above();
        if (low || high) {
            alerts.add(new Alert("threshold:" + cause + (low ? "-low" : "-high"), reading.severity(), rule,
                    reading.getParameter() + " " + reading.getValue()
                            + (low ? " below " + reading.below() : " above " + reading.above())));
        }
    }

    public List<Alert> alerts() {
        return List.copyOf(alerts);
    }
}
