package io.vigil.normalize;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The MDC to LOINC and unit to UCUM maps from mappings/codes and mappings/units, loaded once and read on the hot
 * path without locking.
 */
public final class Terminology {

    private final Map<String, CodeEntry> codes;
    private final Map<String, String> units;
    private final Map<String, CodeEntry> byLoinc = new HashMap<>();
    private String version = "unversioned";

    private Terminology(List<CodeEntry> rows, Map<String, String> units) {
        Map<String, CodeEntry> byMdc = new HashMap<>();
        for (CodeEntry row : rows) {
            if (row.mdcCode() != null) {
                byMdc.put(row.mdcCode(), row);
            }
            if (row.loinc() != null) {
                byLoinc.putIfAbsent(row.loinc(), row);
            }
        }
        this.codes = Map.copyOf(byMdc);
        this.units = Map.copyOf(units);
    }

    /** Reads {@code <mappingsDir>/codes/mdc-loinc.csv} and {@code <mappingsDir>/units/ucum.csv}. */
    public static Terminology load(Path mappingsDir) {
        List<CodeEntry> codes = new java.util.ArrayList<>();
        for (String[] row : readCsv(mappingsDir.resolve("codes/mdc-loinc.csv"), 8)) {
            codes.add(new CodeEntry(blankToNull(row[0]), blankToNull(row[1]), blankToNull(row[2]), blankToNull(row[3]),
                    blankToNull(row[4]), blankToNull(row[5]), blankToNull(row[6])));
        }
        Map<String, String> units = new HashMap<>();
        for (String[] row : readCsv(mappingsDir.resolve("units/ucum.csv"), 3)) {
            units.put(row[0], row[1]);
        }
        Terminology terminology = new Terminology(codes, units);
        terminology.version = io.vigil.ingest.Hashes.sha256((read(mappingsDir.resolve("codes/mdc-loinc.csv"))
                + read(mappingsDir.resolve("units/ucum.csv"))).getBytes(StandardCharsets.UTF_8)).substring(0, 12);
        return terminology;
    }

    /** Hash of the code and unit maps, named in Provenance.policy. */
    public String version() {
        return version;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first row (in file order) that maps to this LOINC code. */
    public Optional<CodeEntry> byLoinc(String loinc) {
        return Optional.ofNullable(loinc == null ? null : byLoinc.get(loinc));
    }

    public Optional<CodeEntry> byMdc(String mdcCode) {
        return Optional.ofNullable(mdcCode == null ? null : codes.get(mdcCode));
    }

    /** The UCUM code for a unit as sent (MDC code, MDC refid, UCUM or vendor text); empty when unknown. */
    public Optional<String> ucum(String unitAsSent) {
        return Optional.ofNullable(unitAsSent == null ? null : units.get(unitAsSent.trim()));
    }

    public int codeCount() {
        return codes.size();
    }

    private static List<String[]> readCsv(Path file, int columns) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return lines.stream().skip(1)
                    .map(String::strip)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                    .map(line -> padded(line.split(",", columns), columns, file))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read mapping file " + file.toAbsolutePath(), e);
        }
    }

    private static String[] padded(String[] cells, int columns, Path file) {
        if (cells.length < 2) {
            throw new IllegalArgumentException("Mapping file " + file + ": a row needs at least 2 columns: "
                    + String.join(",", cells));
        }
        String[] row = new String[columns];
        for (int i = 0; i < columns; i++) {
            row[i] = i < cells.length ? cells[i].strip() : "";
        }
        return row;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
