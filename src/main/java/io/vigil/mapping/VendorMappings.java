package io.vigil.mapping;

import io.vigil.ingest.InvalidPayloadException;
import io.vigil.normalize.CodeMaps;
import io.vigil.normalize.Terminology;
import io.vigil.normalize.Units;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The vendor mappings in force: every mappings/vendors/*.yaml that loaded, in file-name order. A file that
 * does not load is refused with its file, line and reason, and the version loaded before it (if any) keeps
 * running; so do the vendor code maps when one of them is refused. Reads are lock-free snapshots.
 */
public final class VendorMappings {

    private static final Logger LOG = LoggerFactory.getLogger(VendorMappings.class);

    /** One state of the folder: what runs, and what was refused. */
    public record Snapshot(List<MappingDefinition> mappings, CodeMaps codeMaps, VendorMapper mapper,
                           Map<String, String> refused) {

        public Optional<MappingDefinition> byName(String name) {
            return mappings.stream().filter(m -> m.name().equals(name)).findFirst();
        }
    }

    /** What the mapping step decided for one payload. */
    public record Selection(MappingDefinition mapping, Object root, List<String> alsoMatched) {
    }

    private final Path folder;
    private final Terminology terminology;
    private final Units units;
    private final String patientSystem;
    private final Duration futureTolerance;
    private volatile Snapshot snapshot;

    public VendorMappings(Path mappingsDir, Terminology terminology, Units units, String patientSystem,
                          Duration futureTolerance) {
        this.folder = mappingsDir;
        this.terminology = terminology;
        this.units = units;
        this.patientSystem = patientSystem;
        this.futureTolerance = futureTolerance;
        this.snapshot = new Snapshot(List.of(), null, null, Map.of());
        reload();
    }

    public Path folder() {
        return folder;
    }

    public Snapshot snapshot() {
        return snapshot;
    }

    /** Reads the code maps and mapping files again; refused files keep their previous version running. */
    public synchronized Snapshot reload() {
        Snapshot previous = snapshot;
        Map<String, String> refused = new LinkedHashMap<>();
        CodeMaps codeMaps;
        try {
            codeMaps = CodeMaps.load(folder, terminology, units);
        } catch (CodeMaps.CodeMapException e) {
            refused.put("codes", "VIGIL-MAP-001 codes/" + e.getMessage());
            LOG.warn("Vendor code maps refused: VIGIL-MAP-001 codes/{}; the previous code maps stay", e.getMessage());
            codeMaps = previous.codeMaps() != null ? previous.codeMaps() : CodeMaps.load(Path.of("/nonexistent"), terminology, units);
        }
        MappingLoader loader = new MappingLoader(terminology, units, codeMaps);
        List<MappingDefinition> loaded = new ArrayList<>();
        for (Path file : files()) {
            String relative = folder.relativize(file).toString().replace('\\', '/');
            String stem = file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
            try {
                MappingDefinition mapping = loader.load(relative, stem, Files.readString(file, StandardCharsets.UTF_8));
                if (loaded.stream().anyMatch(m -> m.name().equals(mapping.name()))) {
                    throw new MappingRejectedException(relative, 0, "name '" + mapping.name() + "' is used by another mapping");
                }
                loaded.add(mapping);
            } catch (MappingRejectedException e) {
                refused.put(relative, e.getMessage());
                Optional<MappingDefinition> kept = previous.mappings().stream().filter(m -> m.file().equals(relative)).findFirst();
                kept.ifPresent(loaded::add);
                LOG.warn("Mapping refused: {}; {}", e.getMessage(), kept.map(m -> "version " + m.version() + " keeps running")
                        .orElse("no earlier version runs"));
            } catch (IOException e) {
                refused.put(relative, "VIGIL-MAP-001 " + relative + ": cannot be read: " + e.getMessage());
            }
        }
        VendorMapper mapper = new VendorMapper(terminology, units, codeMaps, patientSystem, futureTolerance);
        Snapshot next = new Snapshot(List.copyOf(loaded), codeMaps, mapper, Map.copyOf(refused));
        snapshot = next;
        LOG.info("Vendor mappings active: {} ({} refused)", loaded.stream().map(m -> m.name() + "@" + m.version()).toList(),
                refused.size());
        return next;
    }

    private List<Path> files() {
        Path vendors = folder.resolve("vendors");
        if (!Files.isDirectory(vendors)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(vendors)) {
            return files.filter(f -> f.getFileName().toString().matches(".+\\.ya?ml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean looksLikeJson(byte[] payload) {
        for (byte b : payload) {
            if (b == '{' || b == '[') {
                return true;
            }
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n' && b != (byte) 0xEF && b != (byte) 0xBB && b != (byte) 0xBF) {
                return false;
            }
        }
        return false;
    }

    /**
     * The mapping for a payload: the one named by the entry point's source if a mapping has that name (its match
     * expression must still accept the payload), else the first mapping, in file-name order, whose match accepts it.
     *
     * @throws InvalidPayloadException when no mapping applies (VIGIL-MAP-002) or the payload cannot be parsed
     */
    public Selection select(Snapshot current, byte[] payload, IngestContext context) throws InvalidPayloadException {
        return select(current, payload, context, false);
    }

    /**
     * @param findAll also try the mappings after the first that matches, to report them (the analyst's loop);
     *                the route stops at the first
     */
    public Selection select(Snapshot current, byte[] payload, IngestContext context, boolean findAll)
            throws InvalidPayloadException {
        Optional<MappingDefinition> named = current.byName(context.source());
        if (named.isPresent()) {
            MappingDefinition mapping = named.get();
            Object root = VendorMapper.parse(payload, mapping.format(), mapping.delimiter());
            if (!VendorMapper.matches(mapping, root, context)) {
                throw new InvalidPayloadException("match", "VIGIL-MAP-002 the payload does not satisfy the match expression of mapping '"
                        + mapping.name() + "' (" + mapping.file() + "): " + mapping.match().text());
            }
            return new Selection(mapping, root, List.of());
        }
        Map<Character, Object> csvRoots = new LinkedHashMap<>();
        Object jsonRoot = null;
        InvalidPayloadException unreadable = null;
        MappingDefinition chosen = null;
        Object chosenRoot = null;
        List<String> also = new ArrayList<>();
        for (MappingDefinition mapping : current.mappings()) {
            if (chosen != null && !findAll) {
                break;
            }
            Object root;
            try {
                if (mapping.format() == MappingDefinition.PayloadFormat.CSV && looksLikeJson(payload)) {
                    continue; // a JSON object or array is not read as CSV
                }
                if (mapping.format() == MappingDefinition.PayloadFormat.JSON) {
                    root = jsonRoot != null ? jsonRoot : (jsonRoot = VendorMapper.parse(payload, mapping.format(), ','));
                } else {
                    root = csvRoots.get(mapping.delimiter());
                    if (root == null) {
                        root = VendorMapper.parse(payload, mapping.format(), mapping.delimiter());
                        csvRoots.put(mapping.delimiter(), root);
                    }
                }
            } catch (InvalidPayloadException e) {
                unreadable = unreadable == null ? e : unreadable;
                continue;
            }
            if (VendorMapper.matches(mapping, root, context)) {
                if (chosen == null) {
                    chosen = mapping;
                    chosenRoot = root;
                } else {
                    also.add(mapping.name());
                }
            }
        }
        if (chosen == null) {
            String why = current.mappings().isEmpty() ? "no vendor mapping is loaded (mappings/vendors is empty)"
                    : "no mapping's match expression accepts the payload (tried " + current.mappings().size() + ": "
                    + String.join(", ", current.mappings().stream().map(MappingDefinition::name).toList()) + ")"
                    + (unreadable != null && jsonRoot == null ? "; as JSON: " + unreadable.getMessage() : "");
            throw new InvalidPayloadException("match", "VIGIL-MAP-002 " + why);
        }
        return new Selection(chosen, chosenRoot, List.copyOf(also));
    }
}
