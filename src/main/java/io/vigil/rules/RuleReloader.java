package io.vigil.rules;

import io.vigil.config.VigilProperties;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
    private WatchService watcher;
    private Thread thread;
    private volatile boolean running;

    RuleReloader(RuleEngine engine, VigilProperties properties) {
        this.engine = engine;
        this.settle = properties.rules().reloadDelay();
    }

    @Override
    public void start() {
        try {
            watcher = FileSystems.getDefault().newWatchService();
            try (Stream<Path> dirs = Files.walk(engine.folder())) {
                for (Path dir : dirs.filter(Files::isDirectory).toList()) {
                    dir.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                            StandardWatchEventKinds.ENTRY_DELETE);
                }
            }
        } catch (IOException e) {
            LOG.warn("Cannot watch {} for rule changes ({}); reload with POST /api/rules/reload", engine.folder(), e.toString());
            return;
        }
        running = true;
        thread = new Thread(this::watch, "vigil-rules-watch");
        thread.setDaemon(true);
        thread.start();
    }

    private void watch() {
        while (running) {
            try {
                WatchKey key = watcher.take();
                drain(key);
                // let an editor finish writing (several events per save), then build once
                WatchKey more;
                while ((more = watcher.poll(settle.toMillis(), TimeUnit.MILLISECONDS)) != null) {
                    drain(more);
                }
                LOG.info("Change in {}: rebuilding the rule set", engine.folder());
                engine.reload();
            } catch (InterruptedException | ClosedWatchServiceException e) {
                return;
            }
        }
    }

    private static void drain(WatchKey key) {
        key.pollEvents();
        key.reset();
    }

    @Override
    public void stop() {
        running = false;
        try {
            if (watcher != null) {
                watcher.close();
            }
        } catch (IOException ignored) {
            // closing
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
