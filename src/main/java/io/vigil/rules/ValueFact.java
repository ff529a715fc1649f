package io.vigil.rules;

import java.util.Set;

/** Governance facts about one observation of a message; {@code index} is its position in the message. */
public class ValueFact {

    private final int index;
    private final String parameter;
    private final String loinc;
    private final Double value;
    private final Set<String> flags;
    private final String status;

    public ValueFact(int index, String parameter, String loinc, Double value, Set<String> flags, String status) {
        this.index = index;
        this.parameter = parameter == null ? "" : parameter;
        this.loinc = loinc == null ? "" : loinc;
        this.value = value;
        this.flags = Set.copyOf(flags);
        this.status = status;
    }

    public int getIndex() {
        return index;
    }

    public String getParameter() {
        return parameter;
    }

    public String getLoinc() {
        return loinc;
    }

    public Double getValue() {
        return value;
    }

    public Set<String> getFlags() {
        return flags;
    }

    public String getStatus() {
        return status;
    }
}
