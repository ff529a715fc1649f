package io.vigil.rules;

import io.vigil.config.FolderReloader;
import io.vigil.config.VigilProperties;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Watches rules/ (and its sub-folders) and rebuilds the rule set once edits have settled for
 * vigil.rules.reload-delay; a set that does not build is refused and the active one stays.
 */
@Component
class RuleReloader extends FolderReloader {

    private static final Logger LOG = LoggerFactory.getLogger(RuleReloader.class);

    RuleReloader(RuleEngine engine, VigilProperties properties) {
        super(List.of(engine.folder()), "vigil-rules-watch", properties.rules().reloadDelay(), () -> {
            LOG.info("Change in {}: rebuilding the rule set", engine.folder());
            engine.reload();
        }, "reload with POST /api/rules/reload");
    }
}
