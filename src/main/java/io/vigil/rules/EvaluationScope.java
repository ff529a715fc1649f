package io.vigil.rules;

/**
 * The collectors of the evaluation running on this thread. The rule set's globals are the same delegates for every
 * evaluation, each forwarding to this scope: setting each evaluation's collectors as globals through a command
 * batch cost a fifth of the evaluation rate. An evaluation runs on its caller's thread, so each thread sees its
 * own collectors.
 */
final class EvaluationScope {

    private static final ThreadLocal<EvaluationScope> CURRENT = new ThreadLocal<>();

    final Decisions decisions;
    final GovernanceDecisions governance;
    final News2Score news2;
    final QsofaScore qsofa;

    EvaluationScope(Decisions decisions, GovernanceDecisions governance, News2Score news2, QsofaScore qsofa) {
        this.decisions = decisions;
        this.governance = governance;
        this.news2 = news2;
        this.qsofa = qsofa;
    }

    static EvaluationScope current() {
        EvaluationScope scope = CURRENT.get();
        if (scope == null) {
            throw new IllegalStateException("a rule ran outside a Vigil evaluation");
        }
        return scope;
    }

    void enter() {
        CURRENT.set(this);
    }

    static void leave() {
        CURRENT.remove();
    }

    /** The globals the rule files declare, each forwarding to the current scope. */
    static final class CurrentDecisions extends Decisions {
        CurrentDecisions() {
            super(FireCounts.NONE);
        }

        @Override
        public void alert(String cause, int severity, String rule, String text) {
            current().decisions.alert(cause, severity, rule, text);
        }

        @Override
        public void threshold(Reading reading, String cause, String rule) {
            current().decisions.threshold(reading, cause, rule);
        }
    }

    static final class CurrentGovernance extends GovernanceDecisions {
        CurrentGovernance() {
            super(FireCounts.NONE);
        }

        @Override
        public void quarantine(String code, String reason, String rule) {
            current().governance.quarantine(code, reason, rule);
        }

        @Override
        public void hold(String code, String reason, String rule) {
            current().governance.hold(code, reason, rule);
        }

        @Override
        public void exclude(int index, String code, String reason, String rule) {
            current().governance.exclude(index, code, reason, rule);
        }
    }

    static final class CurrentNews2 extends News2Score {
        CurrentNews2() {
            super(FireCounts.NONE);
        }

        @Override
        public void score(String parameter, int points, String rule) {
            current().news2.score(parameter, points, rule);
        }
    }

    static final class CurrentQsofa extends QsofaScore {
        CurrentQsofa() {
            super(FireCounts.NONE);
        }

        @Override
        public void meets(String criterion, String rule) {
            current().qsofa.meets(criterion, rule);
        }
    }
}
