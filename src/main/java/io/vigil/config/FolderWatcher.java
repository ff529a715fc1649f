package io.vigil.config;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches folders an analyst edits (rules/, mappings/) and runs an action once the edits have settled: editors
 * write several events per save, the action runs once.
 */
public final class FolderWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FolderWatcher.class);

    private final WatchService watcher;
    private final Thread thread;
    private volatile boolean running = true;

    private FolderWatcher(WatchService watcher, String name, Duration settle, Runnable action) {
        this.watcher = watcher;
        this.thread = new Thread(() -> watch(settle, action), name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /**
     * @return the watcher, or null when the folders cannot be watched (logged with the manual alternative)
     */
    public static FolderWatcher start(List<Path> roots, String name, Duration settle, Runnable action, String fallback) {
        try {
            WatchService watcher = FileSystems.getDefault().newWatchService();
            for (Path root : roots) {
                if (!Files.isDirectory(root)) {
                    continue;
                }
                try (Stream<Path> dirs = Files.walk(root)) {
                    for (Path dir : dirs.filter(Files::isDirectory).toList()) {
                        dir.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                                StandardWatchEventKinds.ENTRY_DELETE);
                    }
                }
            }
            return new FolderWatcher(watcher, name, settle, action);
        } catch (IOException e) {
            LOG.warn("Cannot watch {} for changes ({}); {}", roots, e.toString(), fallback);
            return null;
        }
    }

    private void watch(Duration settle, Runnable action) {
        while (running) {
            try {
                drain(watcher.take());
                WatchKey more;
                while ((more = watcher.poll(settle.toMillis(), TimeUnit.MILLISECONDS)) != null) {
                    drain(more);
                }
                action.run();
            } catch (InterruptedException | ClosedWatchServiceException e) {
                return;
            } catch (RuntimeException e) {
                LOG.error("Reload after a change failed: {}", e.toString());
            }
        }
    }

    private static void drain(WatchKey key) {
        key.pollEvents();
        key.reset();
    }

    @Override
    public void close() {
        running = false;
        try {
            watcher.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
