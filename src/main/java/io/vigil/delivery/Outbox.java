package io.vigil.delivery;

import io.vigil.config.VigilProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.springframework.stereotype.Component;

/**
 * Where bundles go when no EHR is configured: one JSON file per bundle under {vigil.data-dir}/outbox, newest
 * about vigil.outbox.max-files kept, so that a new user can see what Vigil would send.
 */
@Component
public class Outbox {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS").withZone(ZoneOffset.UTC);

    private final Path directory;
    private final int maxFiles;
    private final AtomicLong sequence = new AtomicLong();
    /** Bundles in the folder, oldest first: read from the folder once, then kept as bundles are written. */
    private ArrayDeque<Path> kept;

    public Outbox(VigilProperties properties) {
        this.directory = properties.dataDir().resolve("outbox");
        this.maxFiles = properties.outbox().maxFiles();
    }

    public Path directory() {
        return directory;
    }

    public synchronized Path store(String controlId, byte[] bundleJson) {
        try {
            Files.createDirectories(directory);
            long n = sequence.incrementAndGet();
            String name = STAMP.format(Instant.now()) + "-" + String.format("%06d", n % 1_000_000)
                    + "-" + safe(controlId) + ".json";
            Path target = directory.resolve(name);
            Path partial = directory.resolve(name + ".partial");
            Files.write(partial, bundleJson);
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            trim(target);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to the outbox " + directory, e);
        }
    }

    /** Newest first. */
    public List<Path> list(int limit) {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".json"))
                    .sorted(Comparator.comparing((Path p) -> p.getFileName().toString()).reversed())
                    .limit(limit).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public long count() {
        return list(Integer.MAX_VALUE).size();
    }

    public Optional<String> read(String name) {
        if (!name.matches("[A-Za-z0-9._-]+\\.json")) {
            return Optional.empty();
        }
        Path file = directory.resolve(name);
        try {
            return Files.isRegularFile(file) ? Optional.of(Files.readString(file)) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Keeps the newest maxFiles bundles; the folder is listed only for the first bundle written. */
    private void trim(Path written) throws IOException {
        if (kept == null) {
            kept = new ArrayDeque<>();
            list(Integer.MAX_VALUE).forEach(kept::addFirst);
        } else {
            kept.addLast(written);
        }
        while (kept.size() > maxFiles) {
            Files.deleteIfExists(kept.pollFirst());
        }
    }

    private static String safe(String controlId) {
        String s = controlId == null ? "unknown" : controlId.replaceAll("[^A-Za-z0-9_-]", "_");
        return s.length() > 40 ? s.substring(0, 40) : s;
    }
}
