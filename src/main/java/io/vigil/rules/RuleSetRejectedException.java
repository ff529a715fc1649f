package io.vigil.rules;

import java.util.List;

/** A rule set that does not build: each problem names the file, the line and the builder's message. */
public class RuleSetRejectedException extends Exception {

    private final List<String> problems;

    public RuleSetRejectedException(List<String> problems) {
        super("VIGIL-RUL-001 rule set refused: " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
