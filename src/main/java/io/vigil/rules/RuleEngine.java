package io.vigil.rules;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.kie.api.event.rule.AfterMatchFiredEvent;
import org.kie.api.event.rule.DefaultAgendaEventListener;
import org.kie.api.runtime.StatelessKieSession;
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
    private final Map<String, LongAdder> fired = new ConcurrentHashMap<>();
    private final LongAdder refusedReloads = new LongAdder();
    private volatile List<String> lastRefusal = List.of();
    private final DefaultAgendaEventListener counter = new DefaultAgendaEventListener() {
        @Override
        public void afterMatchFired(AfterMatchFiredEvent event) {
            fired.computeIfAbsent(event.getMatch().getRule().getName(), k -> new LongAdder()).increment();
        }
    };

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

    /** Runs the active rules over the facts with "decisions" as the global results collector. */
    public Evaluation evaluate(List<Object> facts) {
        LoadedRuleSet set = active.get();
        StatelessKieSession session = set.base().newStatelessKieSession();
        session.addEventListener(counter);
        Decisions decisions = new Decisions();
        GovernanceDecisions governance = new GovernanceDecisions();
        if (set.globals().contains("decisions")) {
            session.setGlobal("decisions", decisions);
        }
        if (set.globals().contains("governance")) {
            session.setGlobal("governance", governance);
        }
        session.execute(facts);
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
        Map<String, Long> counts = new TreeMap<>();
        fired.forEach((rule, n) -> counts.put(rule, n.sum()));
        return counts;
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
