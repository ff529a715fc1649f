package io.vigil.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.context.SmartLifecycle;

/**
 * Runs an action when files under some folders change (see {@link FolderWatcher}), for as long as the
 * application runs: how rules/ and mappings/ are reloaded without a restart.
 */
public class FolderReloader implements SmartLifecycle {

    private final List<Path> roots;
    private final String name;
    private final Duration settle;
    private final Runnable action;
    private final String fallback;
    private FolderWatcher watcher;

    /** @param fallback what the operator can do instead, logged when the folders cannot be watched */
    public FolderReloader(List<Path> roots, String name, Duration settle, Runnable action, String fallback) {
        this.roots = List.copyOf(roots);
        this.name = name;
        this.settle = settle;
        this.action = action;
        this.fallback = fallback;
    }

    @Override
    public void start() {
        watcher = FolderWatcher.start(roots, name, settle, action, fallback);
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
