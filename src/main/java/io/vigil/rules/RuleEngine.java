package io.vigil.rules;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
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
    /** The first build, until it has been waited for once; null afterwards. */
    private volatile CompletableFuture<LoadedRuleSet> firstBuild;

    /** Builds the rule set in {@code folder}; a broken set at start is fatal (there is no previous one). */
    public RuleEngine(Path folder) throws RuleSetRejectedException {
        this.folder = folder;
        activate(RuleSetLoader.load(folder));
    }

    private RuleEngine(Path folder, CompletableFuture<LoadedRuleSet> firstBuild) {
        this.folder = folder;
        this.firstBuild = firstBuild;
    }

    /**
     * Starts building the rule set in {@code folder} on a thread of its own (compiling the rules takes seconds
     * that the rest of the start-up can use); every use of the engine waits for that build, and
     * {@link #awaitFirstSet()} reports a broken set.
     */
    public static RuleEngine buildInBackground(Path folder) {
        CompletableFuture<LoadedRuleSet> build = new CompletableFuture<>();
        Thread builder = new Thread(() -> {
            try {
                build.complete(RuleSetLoader.load(folder));
            } catch (Throwable e) {
                build.completeExceptionally(e);
            }
        }, "vigil-rules-first-build");
        builder.setDaemon(true);
        builder.start();
        return new RuleEngine(folder, build);
    }

    /** Waits for the first rule set; throws when it does not build (there is no previous one to keep). */
    public void awaitFirstSet() throws RuleSetRejectedException {
        CompletableFuture<LoadedRuleSet> build = firstBuild;
        if (build == null) {
            return;
        }
        synchronized (this) {
            if (firstBuild == null) {
                return;
            }
            try {
                activate(build.join());
            } catch (CompletionException e) {
                if (e.getCause() instanceof RuleSetRejectedException refused) {
                    throw refused;
                }
                throw e;
            }
            firstBuild = null;
        }
    }

    private void activate(LoadedRuleSet first) {
        active.set(first);
        LOG.info("Rule set {} active: {} rules from {}", first.version(), first.ruleCount(), first.files());
    }

    /** The active set; the first use waits for a build started in the background. */
    private LoadedRuleSet current() {
        if (firstBuild != null) {
            try {
                awaitFirstSet();
            } catch (RuleSetRejectedException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }
        return active.get();
    }

    /** Rebuilds from the folder; returns false (and keeps the active set) when the new one is refused. */
    public synchronized boolean reload() {
        current();
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
        LoadedRuleSet set = current();
        Decisions decisions = new Decisions(fired);
        GovernanceDecisions governance = new GovernanceDecisions(fired);
        new EvaluationScope(decisions, governance, news2, qsofa).enter();
        try {
            set.sessions().execute(facts);
        } finally {
            EvaluationScope.leave();
        }
        return new Evaluation(set.version(), decisions, governance);
    }

    /** The rule-set version an evaluation ran under, with what it decided. */
    public record Evaluation(String ruleSetVersion, Decisions decisions, GovernanceDecisions governance) {
    }

    public String version() {
        return current().version();
    }

    public int ruleCount() {
        return current().ruleCount();
    }

    public List<String> files() {
        return current().files();
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
