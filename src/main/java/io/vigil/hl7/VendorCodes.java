package io.vigil.hl7;

import io.vigil.normalize.CodeMaps;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Vendor coding systems of OBX-3 (e.g. Philips MDIL) translated by a code map of mappings/codes, as configured
 * in vigil.hl7.code-maps (coding system name to code map name). The code maps are read at each lookup from the
 * current vendor mappings, so an edited code map applies without a restart.
 */
public final class VendorCodes {

    public static final VendorCodes NONE = new VendorCodes(Map.of(), () -> null);

    private final Map<String, String> mapBySystem;
    private final Supplier<CodeMaps> codeMaps;

    public VendorCodes(Map<String, String> mapBySystem, Supplier<CodeMaps> codeMaps) {
        this.mapBySystem = Map.copyOf(mapBySystem);
        this.codeMaps = codeMaps;
    }

    public boolean maps(String codingSystem) {
        return mapBySystem.containsKey(codingSystem);
    }

    public String mapName(String codingSystem) {
        return mapBySystem.get(codingSystem);
    }

    public Optional<CodeMaps.VendorCode> lookup(String codingSystem, String code) {
        CodeMaps maps = codeMaps.get();
        return maps == null ? Optional.empty() : maps.lookup(mapBySystem.get(codingSystem), code);
    }
}
