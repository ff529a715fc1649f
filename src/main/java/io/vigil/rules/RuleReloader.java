package io.vigil.rules;

import io.vigil.config.FolderWatcher;
import io.vigil.config.VigilProperties;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Watches rules/ (and its sub-folders) and rebuilds the rule set once edits have settled for
 * vigil.rules.reload-delay; a set that does not build is refused and the active one stays.
 */
@Component
class RuleReloader implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(RuleReloader.class);

    private final RuleEngine engine;
    private final Duration settle;
    private FolderWatcher watcher;

    RuleReloader(RuleEngine engine, VigilProperties properties) {
        this.engine = engine;
        this.settle = properties.rules().reloadDelay();
    }

    @Override
    public void start() {
        watcher = FolderWatcher.start(List.of(engine.folder()), "vigil-rules-watch", settle, () -> {
            LOG.info("Change in {}: rebuilding the rule set", engine.folder());
            engine.reload();
        }, "reload with POST /api/rules/reload");
    }

    @Override
    public void stop() {
        if (watcher != null) {
            watcher.close();
            watcher = null;
        }
    }

    @Override
    public boolean isRunning() {
        return watcher != null;
    }
}
