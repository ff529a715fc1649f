package io.vigil.rules;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The active rule set, replaced atomically on reload (a refused set leaves the active one in place), and
 * stateless evaluation against it with fire counts per rule.
 */
public final class RuleEngine {

    private static final Logger LOG = LoggerFactory.getLogger(RuleEngine.class);

    private final Path folder;
    private final AtomicReference<LoadedRuleSet> active = new AtomicReference<>();
    private final FireCounts fired = new FireCounts();
    private final LongAdder refusedReloads = new LongAdder();
    private volatile List<String> lastRefusal = List.of();

    /** Builds the rule set in {@code folder}; a broken set at start is fatal (there is no previous one). */
    public RuleEngine(Path folder) throws RuleSetRejectedException {
        this.folder = folder;
        LoadedRuleSet first = RuleSetLoader.load(folder);
        active.set(first);
        LOG.info("Rule set {} active: {} rules from {}", first.version(), first.ruleCount(), first.files());
    }

    /** Rebuilds from the folder; returns false (and keeps the active set) when the new one is refused. */
    public synchronized boolean reload() {
        LoadedRuleSet next;
        try {
            next = RuleSetLoader.load(folder);
        } catch (RuleSetRejectedException e) {
            refusedReloads.increment();
            lastRefusal = e.problems();
            LOG.error("{} -- rule set {} stays active", e.getMessage(), version());
            return false;
        }
        LoadedRuleSet old = active.getAndSet(next);
        lastRefusal = List.of();
        if (old != null && !old.version().equals(next.version())) {
            LOG.info("Rule set {} active (was {}): {} rules", next.version(), old.version(), next.ruleCount());
        }
        if (old != null) {
            RuleSetLoader.dispose(old);
        }
        return true;
    }

    public Evaluation evaluate(List<Object> facts) {
        return evaluate(facts, new News2Score(fired), new QsofaScore(fired));
    }

    /** Runs the active rules over the facts; NEWS2 and qSOFA rules record their points in the given collectors. */
    public Evaluation evaluate(List<Object> facts, News2Score news2, QsofaScore qsofa) {
        LoadedRuleSet set = active.get();
        Decisions decisions = new Decisions(fired);
        GovernanceDecisions governance = new GovernanceDecisions(fired);
        new EvaluationScope(decisions, governance, news2, qsofa).enter();
        try {
            set.session().execute(facts);
        } finally {
            EvaluationScope.leave();
        }
        return new Evaluation(set.version(), decisions, governance);
    }

    /** The rule-set version an evaluation ran under, with what it decided. */
    public record Evaluation(String ruleSetVersion, Decisions decisions, GovernanceDecisions governance) {
    }

    public String version() {
        return active.get().version();
    }

    public int ruleCount() {
        return active.get().ruleCount();
    }

    public List<String> files() {
        return active.get().files();
    }

    public Map<String, Long> fireCounts() {
        return fired.snapshot();
    }

    FireCounts counter() {
        return fired;
    }

    public long refusedReloads() {
        return refusedReloads.sum();
    }

    public List<String> lastRefusal() {
        return lastRefusal;
    }

    public Path folder() {
        return folder;
    }
}
