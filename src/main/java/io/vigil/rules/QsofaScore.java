package io.vigil.rules;

import java.util.LinkedHashSet;
import java.util.Set;

/** Collects the qSOFA criteria that the rules find met. */
public class QsofaScore {

    private final Set<String> criteria = new LinkedHashSet<>();
    private final FireCounts fired;

    public QsofaScore(FireCounts fired) {
        this.fired = fired;
    }

    public void meets(String criterion, String rule) {
        criteria.add(criterion);
        fired.fired(rule);
    }

    public Set<String> criteria() {
        return Set.copyOf(criteria);
    }

    public int points() {
        return criteria.size();
    }
}
