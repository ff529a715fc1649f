package io.vigil.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.support.TestPipeline;
import java.math.BigDecimal;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class UnitsTest {

    private final Units units = Units.load(Path.of("mappings"), TestPipeline.TERMINOLOGY);

    @Test
    void temperaturesShouldConvertThroughTheirOffsets() {
        assertThat(units.convert(new BigDecimal("98.6"), "[degF]", "Cel", "8310-5")).hasValueSatisfying(
                v -> assertThat(v).isEqualByComparingTo("37"));
        assertThat(units.convert(new BigDecimal("37"), "Cel", "[degF]", "8310-5")).hasValueSatisfying(
                v -> assertThat(v).isEqualByComparingTo("98.6"));
        assertThat(units.convert(new BigDecimal("310.15"), "K", "Cel", "8310-5")).hasValueSatisfying(
                v -> assertThat(v).isEqualByComparingTo("37"));
    }

    @Test
    void massAndLengthShouldConvertByUcum() {
        assertThat(units.convert(new BigDecimal("150"), "[lb_av]", "kg", "29463-7")).hasValueSatisfying(
                v -> assertThat(v).isEqualByComparingTo("68.04"));
        assertThat(units.convert(new BigDecimal("11"), "[stone_av]", "kg", "29463-7")).hasValueSatisfying(
                v -> assertThat(v).isEqualByComparingTo("69.85"));
        assertThat(units.convert(new BigDecimal("1.93"), "m", "cm", "8302-2")).hasValueSatisfying(
                v -> assertThat(v).isEqualByComparingTo("193"));
    }

    @Test
    void glucoseShouldConvertBetweenSubstanceAndMassThroughItsMolarMass() {
        assertThat(units.convert(new BigDecimal("5.5"), "mmol/L", "mg/dL", "41653-7")).hasValueSatisfying(
                v -> assertThat(v).isEqualByComparingTo("99.09"));
        assertThat(units.convert(new BigDecimal("99.09"), "mg/dL", "mmol/L", "41653-7")).hasValueSatisfying(
                v -> assertThat(v).isEqualByComparingTo("5.5"));
        // no molar mass for heart rate: no conversion rather than a wrong one
        assertThat(units.convert(new BigDecimal("5.5"), "mmol/L", "mg/dL", "8867-4")).isEmpty();
    }

    @Test
    void incommensurableUnitsShouldNotConvert() {
        assertThat(units.convert(BigDecimal.ONE, "kg", "Cel", "8310-5")).isEmpty();
        assertThat(units.convert(BigDecimal.ONE, "mm[Hg]", "/min", "8867-4")).isEmpty();
    }

    @Test
    void vendorUnitTextShouldBecomeValidUcum() {
        assertThat(units.toUcum("beats/min")).contains("/min");
        assertThat(units.toUcum("F")).contains("[degF]");
        assertThat(units.toUcum("mmHg")).contains("mm[Hg]");
        assertThat(units.toUcum("0004-0f20")).contains("mm[Hg]");
        assertThat(units.toUcum("kPa")).contains("kPa");
        assertThat(units.toUcum("mg/dL")).contains("mg/dL");
        assertThat(units.toUcum("unknown")).isEmpty();
        assertThat(units.toUcum("bpm ")).contains("/min");
    }

    @Test
    void everyUnitAliasShouldMapToValidUcum() throws Exception {
        for (String line : java.nio.file.Files.readAllLines(Path.of("mappings/units/ucum.csv")).stream().skip(1).toList()) {
            String[] cells = line.split(",", 3);
            assertThat(units.isUcum(cells[1])).as("ucum.csv: " + line).isTrue();
        }
    }
}
