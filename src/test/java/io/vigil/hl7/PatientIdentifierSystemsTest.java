package io.vigil.hl7;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PatientIdentifierSystemsTest {

    private final PatientIdentifierSystems systems =
            new PatientIdentifierSystems(Map.of("Imaginary Hospital", "http://hospital.example/mrn"));

    @Test
    void shouldTakeTheConfiguredSystemOrMakeAUrnOfTheAuthority() {
        assertThat(systems.systemFor(" Imaginary Hospital ")).isEqualTo("http://hospital.example/mrn");
        assertThat(systems.systemFor("Philips")).isEqualTo("urn:vigil:id:Philips");
        assertThat(systems.systemFor("St. Mary's & Co")).isEqualTo("urn:vigil:id:St.-Mary-s---Co");
        assertThat(systems.systemFor("  ")).isEqualTo("urn:vigil:id:local");
        assertThat(systems.systemFor(null)).isEqualTo("urn:vigil:id:local");
    }

    /** The same as the pattern it replaces, [^A-Za-z0-9.\-] to '-', one for each code point. */
    @Test
    void shouldReplaceWhatTheUrnCannotHoldAsThePatternDid() {
        for (String authority : List.of("Philips", "1.2.840.10004.1.1.1.0.0.1.0.0.1.2680", "a_b/c:d e", "Hôpital Édouard",
                "漢字病院", "emoji \uD83D\uDE00 pair", "lone \uD83D high", "lone \uDE00 low", "tab\tand|pipe^", "-.-",
                "ends with a surrogate \uD83D")) {
            assertThat(PatientIdentifierSystems.safe(authority)).as(authority)
                    .isEqualTo(authority.replaceAll("[^A-Za-z0-9.\\-]", "-"));
        }
        String kept = "Already-Safe.1";
        assertThat(PatientIdentifierSystems.safe(kept)).isSameAs(kept);
    }
}
