package io.vigil.governance;

import com.fasterxml.jackson.core.type.TypeReference;
import io.vigil.model.CanonicalJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Devices Vigil has seen: approved (in configuration, or approved by an operator) or pending (seen, not yet
 * approved). Kept in {data-dir}/devices.json so that approvals survive restarts.
 */
public final class DeviceRegistry {

    public static final String APPROVED = "APPROVED";
    public static final String PENDING = "PENDING";
    private static final Logger LOG = LoggerFactory.getLogger(DeviceRegistry.class);

    /** One device: status, when first and last seen, and the protocol it uses. */
    public record Entry(String id, String status, Instant firstSeen, Instant lastSeen, String protocol) {
    }

    private final Path file;
    private final Map<String, Entry> devices = new TreeMap<>();
    private boolean dirty;

    public DeviceRegistry(Path file, Collection<String> approvedInConfig) {
        this.file = file;
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
    }

    /** Records a sighting and returns the device's status (a device seen for the first time is PENDING). */
    public synchronized String seen(String id, String protocol, Instant when) {
        Entry e = devices.get(id);
        if (e == null) {
            devices.put(id, new Entry(id, PENDING, when, when, protocol));
            dirty = true;
            LOG.info("New device {} ({}) recorded as pending approval", id, protocol);
            save();
            return PENDING;
        }
        devices.put(id, new Entry(id, e.status(), e.firstSeen() == null ? when : e.firstSeen(), when, protocol));
        return e.status();
    }

    public synchronized boolean approve(String id) {
        Entry e = devices.get(id);
        if (e == null) {
            return false;
        }
        devices.put(id, new Entry(id, APPROVED, e.firstSeen(), e.lastSeen(), e.protocol()));
        dirty = true;
        save();
        return true;
    }

    public synchronized List<Entry> list() {
        return List.copyOf(devices.values());
    }

    private void save() {
        if (!dirty) {
            return;
        }
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            CanonicalJson.MAPPER.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), List.copyOf(devices.values()));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            dirty = false;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the device registry " + file.toAbsolutePath(), e);
        }
    }
}
