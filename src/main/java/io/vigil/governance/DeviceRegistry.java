package io.vigil.governance;

import com.fasterxml.jackson.core.type.TypeReference;
import io.vigil.model.CanonicalJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Devices Vigil has seen: approved (in configuration, or approved by an operator) or pending (seen, not yet
 * approved). Kept in {data-dir}/devices.json so that approvals survive restarts.
 *
 * <p>A sighting of a known device touches memory only. New devices are written to the file by one background
 * thread, at most once per save delay however many arrive (a ward of monitors connecting at once must not rewrite
 * the file once per device on the message path); an approval is written before {@link #approve} returns, and
 * {@link #close} writes what is left. A crash can lose the pending devices of the last save delay: they are
 * recorded again, as pending, when next seen.
 */
public final class DeviceRegistry implements AutoCloseable {

    public static final String APPROVED = "APPROVED";
    public static final String PENDING = "PENDING";
    static final Duration SAVE_DELAY = Duration.ofSeconds(1);
    private static final Duration RETRY_DELAY = Duration.ofSeconds(10);
    private static final Logger LOG = LoggerFactory.getLogger(DeviceRegistry.class);

    /** One device: status, when first and last seen, and the protocol it uses. */
    public record Entry(String id, String status, Instant firstSeen, Instant lastSeen, String protocol) {
    }

    private final Path file;
    private final Duration saveDelay;
    private final Map<String, Entry> devices = new ConcurrentHashMap<>();
    private final AtomicBoolean dirty = new AtomicBoolean();
    private final AtomicBoolean saveScheduled = new AtomicBoolean();
    private final AtomicLong saves = new AtomicLong();
    private final Object fileLock = new Object();
    private final ScheduledExecutorService writer;
    private boolean lastSaveFailed;

    public DeviceRegistry(Path file, Collection<String> approvedInConfig) {
        this(file, approvedInConfig, SAVE_DELAY);
    }

    DeviceRegistry(Path file, Collection<String> approvedInConfig, Duration saveDelay) {
        this.file = file;
        this.saveDelay = saveDelay;
        if (Files.exists(file)) {
            try {
                List<Entry> stored = CanonicalJson.MAPPER.readValue(file.toFile(), new TypeReference<List<Entry>>() { });
                stored.forEach(e -> devices.put(e.id(), e));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read the device registry " + file.toAbsolutePath(), e);
            }
        }
        for (String id : approvedInConfig) {
            Entry e = devices.get(id);
            devices.put(id, new Entry(id, APPROVED, e == null ? null : e.firstSeen(), e == null ? null : e.lastSeen(),
                    e == null ? null : e.protocol()));
        }
        writer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "vigil-device-registry");
            t.setDaemon(true);
            return t;
        });
    }

    /** Records a sighting and returns the device's status (a device seen for the first time is PENDING). */
    public String seen(String id, String protocol, Instant when) {
        boolean[] created = new boolean[1];
        Entry e = devices.compute(id, (key, old) -> {
            if (old == null) {
                created[0] = true;
                return new Entry(key, PENDING, when, when, protocol);
            }
            return new Entry(key, old.status(), old.firstSeen() == null ? when : old.firstSeen(), when, protocol);
        });
        if (created[0]) {
            LOG.info("New device {} ({}) recorded as pending approval", id, protocol);
            dirty.set(true);
            scheduleSave(saveDelay);
        }
        return e.status();
    }

    /** Approves a device and writes the registry before returning; false if the device was never seen. */
    public boolean approve(String id) {
        Entry e = devices.computeIfPresent(id, (key, old) ->
                new Entry(key, APPROVED, old.firstSeen(), old.lastSeen(), old.protocol()));
        if (e == null) {
            return false;
        }
        dirty.set(true);
        save();
        return true;
    }

    /** The devices, by id. */
    public List<Entry> list() {
        return devices.values().stream().sorted(Comparator.comparing(Entry::id)).toList();
    }

    /** How many times the file has been written (for tests and diagnostics). */
    long saves() {
        return saves.get();
    }

    /** Writes what is not yet in the file and stops the background writer. */
    @Override
    public void close() {
        writer.shutdownNow();
        save();
    }

    private void scheduleSave(Duration delay) {
        if (saveScheduled.compareAndSet(false, true)) {
            try {
                writer.schedule(this::scheduledSave, delay.toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException closed) {
                saveScheduled.set(false);
            }
        }
    }

    private void scheduledSave() {
        saveScheduled.set(false);
        try {
            save();
        } catch (UncheckedIOException e) {
            scheduleSave(RETRY_DELAY);
        }
    }

    private void save() {
        synchronized (fileLock) {
            if (!dirty.getAndSet(false)) {
                return;
            }
            try {
                Files.createDirectories(file.toAbsolutePath().getParent());
                Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
                CanonicalJson.MAPPER.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), list());
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                saves.incrementAndGet();
                if (lastSaveFailed) {
                    LOG.info("Device registry {} written again", file.toAbsolutePath());
                    lastSaveFailed = false;
                }
            } catch (IOException e) {
                dirty.set(true);
                if (!lastSaveFailed) {
                    LOG.error("Cannot write the device registry {}: {} (retrying every {} s)", file.toAbsolutePath(),
                            e.toString(), RETRY_DELAY.toSeconds());
                    lastSaveFailed = true;
                }
                throw new UncheckedIOException("Cannot write the device registry " + file.toAbsolutePath(), e);
            }
        }
    }
}
