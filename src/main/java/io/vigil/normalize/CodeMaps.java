package io.vigil.normalize;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Vendor code maps: every CSV in mappings/codes whose header starts with {@value #HEADER_START}, named by its file
 * name without .csv (e.g. {@code withings-measure-types}). A row maps a vendor code to MDC and/or LOINC, or marks
 * it {@code ignore} with a reason, so that nothing a vendor sends is dropped without a word.
 */
public final class CodeMaps {

    public static final String HEADER_START = "vendor_code,";

    /** One row: {@code action} is empty (map) or "ignore". */
    public record VendorCode(String vendorCode, String mdcCode, String loinc, String unit, boolean ignore, String note) {
    }

    /** A refused code map: the file, the line and why. */
    public static final class CodeMapException extends RuntimeException {
        public CodeMapException(String message) {
            super(message);
        }
    }

    private final Map<String, Map<String, VendorCode>> maps;

    private CodeMaps(Map<String, Map<String, VendorCode>> maps) {
        this.maps = Map.copyOf(maps);
    }

    public static CodeMaps load(Path mappingsDir, Terminology terminology, Units units) {
        Path dir = mappingsDir.resolve("codes");
        Map<String, Map<String, VendorCode>> maps = new LinkedHashMap<>();
        if (!Files.isDirectory(dir)) {
            return new CodeMaps(maps);
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".csv")).sorted().toList()) {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                if (lines.isEmpty() || !lines.get(0).startsWith(HEADER_START)) {
                    continue;
                }
                String name = file.getFileName().toString().replaceFirst("\\.csv$", "");
                maps.put(name, rows(file, lines, terminology, units));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new CodeMaps(maps);
    }

    private static Map<String, VendorCode> rows(Path file, List<String> lines, Terminology terminology, Units units) {
        Map<String, VendorCode> rows = new LinkedHashMap<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = file.getFileName() + ":" + (i + 1);
            String[] c = padded(line.split(",", 6));
            boolean ignore = "ignore".equalsIgnoreCase(c[4]);
            if (!c[4].isEmpty() && !ignore) {
                throw new CodeMapException(where + ": action must be empty or 'ignore', got '" + c[4] + "'");
            }
            if (!ignore && c[1].isEmpty() && c[2].isEmpty()) {
                throw new CodeMapException(where + ": vendor code '" + c[0] + "' needs an mdc_code or loinc_code (or action ignore)");
            }
            if (!c[1].isEmpty() && terminology.byMdc(c[1]).isEmpty()) {
                throw new CodeMapException(where + ": MDC code " + c[1] + " is not in codes/mdc-loinc.csv");
            }
            if (c[1].isEmpty() && !c[2].isEmpty() && terminology.byLoinc(c[2]).isEmpty()) {
                throw new CodeMapException(where + ": LOINC code " + c[2] + " is not in codes/mdc-loinc.csv");
            }
            if (!c[3].isEmpty() && units.toUcum(c[3]).isEmpty()) {
                throw new CodeMapException(where + ": unit '" + c[3] + "' is neither UCUM nor listed in units/ucum.csv");
            }
            if (rows.put(c[0], new VendorCode(c[0], blank(c[1]), blank(c[2]), blank(c[3]), ignore, blank(c[5]))) != null) {
                throw new CodeMapException(where + ": vendor code '" + c[0] + "' is listed twice");
            }
        }
        return Map.copyOf(rows);
    }

    private static String[] padded(String[] cells) {
        String[] row = new String[6];
        for (int i = 0; i < row.length; i++) {
            row[i] = i < cells.length ? cells[i].strip() : "";
        }
        return row;
    }

    private static String blank(String s) {
        return s.isEmpty() ? null : s;
    }

    public boolean has(String map) {
        return maps.containsKey(map);
    }

    public Optional<VendorCode> lookup(String map, String vendorCode) {
        Map<String, VendorCode> rows = maps.get(map);
        return Optional.ofNullable(rows == null || vendorCode == null ? null : rows.get(vendorCode));
    }

    public List<String> names() {
        return new ArrayList<>(maps.keySet());
    }
}
