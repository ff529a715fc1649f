package io.vigil.rules;

import java.util.LinkedHashSet;
import java.util.Set;

/** Collects the qSOFA criteria that the rules find met. */
public class QsofaScore {

    private final Set<String> criteria = new LinkedHashSet<>();

    public void meets(String criterion) {
        criteria.add(criterion);
    }

    public Set<String> criteria() {
        return Set.copyOf(criteria);
    }

    public int points() {
        return criteria.size();
    }
}
