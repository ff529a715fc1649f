package io.vigil.fhir;

import java.util.Map;
import java.util.Set;

/**
 * The FHIR R4 vital-signs profiles Vigil claims, with the UCUM units each allows. A profile is claimed only when
 * the value's unit is one of them, so that every claim validates.
 */
final class VitalSignProfiles {

    static final String BASE = "http://hl7.org/fhir/StructureDefinition/";

    private static final Map<String, Set<String>> UNITS = Map.of(
            "heartrate", Set.of("/min"),
            "resprate", Set.of("/min"),
            "oxygensat", Set.of("%"),
            "bodytemp", Set.of("Cel", "[degF]"),
            "bodyweight", Set.of("kg", "g", "[lb_av]"),
            "bodyheight", Set.of("cm", "[in_i]"),
            "bp", Set.of("mm[Hg]"));

    private VitalSignProfiles() {
    }

    /** The canonical URL to claim, or null when the profile is unknown or the unit does not fit it. */
    static String urlFor(String profile, String ucum) {
        if (profile == null || ucum == null) {
            return null;
        }
        Set<String> allowed = UNITS.get(profile);
        return allowed != null && allowed.contains(ucum) ? BASE + profile : null;
    }
}
