package io.vigil.rules;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** mappings/codes/clinical-parameters.csv: which LOINC codes feed which early-warning parameter. */
public final class ClinicalParameters {

    private final Map<String, String> byLoinc;

    private ClinicalParameters(Map<String, String> byLoinc) {
        this.byLoinc = Map.copyOf(byLoinc);
    }

    public static ClinicalParameters load(Path mappingsDir) {
        Path file = mappingsDir.resolve("codes/clinical-parameters.csv");
        Map<String, String> map = new HashMap<>();
        try {
            for (String line : Files.readAllLines(file).stream().skip(1).toList()) {
                String[] cells = line.split(",", 3);
                if (cells.length >= 2 && !cells[0].isBlank()) {
                    map.put(cells[0].strip(), cells[1].strip());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file.toAbsolutePath(), e);
        }
        return new ClinicalParameters(map);
    }

    public Optional<String> parameterOf(String loinc) {
        return Optional.ofNullable(loinc == null ? null : byLoinc.get(loinc));
    }
}
