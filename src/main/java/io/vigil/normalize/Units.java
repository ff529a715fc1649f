package io.vigil.normalize;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.fhir.ucum.Decimal;
import org.fhir.ucum.UcumEssenceService;
import org.fhir.ucum.UcumException;
import org.fhir.ucum.UcumService;

/**
 * UCUM validation and conversion (org.fhir:ucum with the UCUM essence file), the unit aliases of
 * mappings/units/ucum.csv and the molar masses of mappings/units/molar-mass.csv. Converted values are rounded
 * half-up to {@link #CONVERTED_SCALE} decimals.
 */
public final class Units {

    public static final int CONVERTED_SCALE = 2;

    private final Terminology terminology;
    private final UcumService ucum;
    private final Map<String, BigDecimal> molarMass;
    private final Map<String, Boolean> validity = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, Optional<BigDecimal>> factors = new java.util.concurrent.ConcurrentHashMap<>();

    private Units(Terminology terminology, UcumService ucum, Map<String, BigDecimal> molarMass) {
        this.terminology = terminology;
        this.ucum = ucum;
        this.molarMass = Map.copyOf(molarMass);
    }

    public static Units load(Path mappingsDir, Terminology terminology) {
        try (InputStream essence = UcumEssenceService.class.getResourceAsStream("/ucum-essence.xml")) {
            if (essence == null) {
                throw new IllegalStateException("ucum-essence.xml is missing from the classpath");
            }
            Map<String, BigDecimal> masses = new HashMap<>();
            Path file = mappingsDir.resolve("units/molar-mass.csv");
            if (Files.exists(file)) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8).stream().skip(1).toList()) {
                    String[] cells = line.strip().split(",", 3);
                    if (cells.length >= 2 && !cells[0].isBlank() && !line.startsWith("#")) {
                        masses.put(cells[0].strip(), new BigDecimal(cells[1].strip()));
                    }
                }
            }
            return new Units(terminology, new UcumEssenceService(essence), masses);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (UcumException e) {
            throw new IllegalStateException("UCUM essence could not be read: " + e.getMessage(), e);
        }
    }

    /** Whether a code is valid UCUM (e.g. {@code mm[Hg]}, {@code /min}, {@code Cel}). */
    public boolean isUcum(String code) {
        if (code == null || code.isBlank()) {
            return false;
        }
        return validity.computeIfAbsent(code, c -> ucum.validate(c) == null);
    }

    /** The UCUM code for a unit as sent: an alias from mappings/units/ucum.csv, else the unit itself when valid UCUM. */
    public Optional<String> toUcum(String unitAsSent) {
        if (unitAsSent == null) {
            return Optional.empty();
        }
        Optional<String> alias = terminology.ucum(unitAsSent);
        if (alias.isPresent()) {
            return alias;
        }
        String trimmed = unitAsSent.strip();
        return isUcum(trimmed) ? Optional.of(trimmed) : Optional.empty();
    }

    /**
     * Converts a value between UCUM units: directly when the units are commensurable, through the molar mass
     * of the substance measured under {@code loinc} between mass and substance concentrations.
     *
     * @return empty when no conversion exists
     */
    public Optional<BigDecimal> convert(BigDecimal value, String from, String to, String loinc) {
        if (from.equals(to)) {
            return Optional.of(value);
        }
        Optional<BigDecimal> temperature = temperature(value, from, to);
        if (temperature != null) {
            return temperature.map(Units::round);
        }
        Optional<BigDecimal> direct = factor(from, to);
        if (direct.isPresent()) {
            return Optional.of(round(value.multiply(direct.get())));
        }
        BigDecimal mass = loinc == null ? null : molarMass.get(loinc);
        if (mass != null) {
            Optional<BigDecimal> toMolar = factor(from, "mol/L");
            Optional<BigDecimal> fromMass = factor("g/L", to);
            if (toMolar.isPresent() && fromMass.isPresent()) {
                return Optional.of(round(value.multiply(toMolar.get()).multiply(mass).multiply(fromMass.get())));
            }
            Optional<BigDecimal> toMass = factor(from, "g/L");
            Optional<BigDecimal> fromMolar = factor("mol/L", to);
            if (toMass.isPresent() && fromMolar.isPresent()) {
                return Optional.of(round(value.multiply(toMass.get()).divide(mass, MathContext.DECIMAL64)
                        .multiply(fromMolar.get())));
            }
        }
        return Optional.empty();
    }

    /**
     * The factor from one unit to another (both without offset), asked of the UCUM library once per pair: its
     * decimal arithmetic is exact but slow, and the factor does not change.
     */
    private Optional<BigDecimal> factor(String from, String to) {
        return factors.computeIfAbsent(from + "\u0000" + to, k -> {
            try {
                if (!ucum.isComparable(from, to)) {
                    return Optional.empty();
                }
                return Optional.of(new BigDecimal(ucum.convert(new Decimal("1"), from, to).asDecimal()));
            } catch (UcumException | RuntimeException e) {
                return Optional.empty();
            }
        });
    }

    /**
     * Temperatures: units with an offset from zero, which the UCUM library does not convert ("special unit with
     * offset"); converted here through kelvin by their UCUM definitions (Cel = K - 273.15, [degF] = 5/9 K from
     * -459.67). Null when either unit is not a temperature.
     */
    private static Optional<BigDecimal> temperature(BigDecimal value, String from, String to) {
        boolean fromT = TEMPERATURES.contains(from);
        boolean toT = TEMPERATURES.contains(to);
        if (!fromT && !toT) {
            return null;
        }
        if (fromT != toT) {
            return Optional.empty();
        }
        MathContext mc = MathContext.DECIMAL64;
        BigDecimal kelvin = switch (from) {
            case "Cel" -> value.add(KELVIN_AT_ZERO_CELSIUS);
            case "[degF]" -> value.add(FAHRENHEIT_ZERO_OFFSET).multiply(FIVE).divide(NINE, mc);
            default -> value;
        };
        return Optional.of(switch (to) {
            case "Cel" -> kelvin.subtract(KELVIN_AT_ZERO_CELSIUS);
            case "[degF]" -> kelvin.multiply(NINE).divide(FIVE, mc).subtract(FAHRENHEIT_ZERO_OFFSET);
            default -> kelvin;
        });
    }

    private static final java.util.Set<String> TEMPERATURES = java.util.Set.of("Cel", "[degF]", "K");
    private static final BigDecimal KELVIN_AT_ZERO_CELSIUS = new BigDecimal("273.15");
    private static final BigDecimal FAHRENHEIT_ZERO_OFFSET = new BigDecimal("459.67");
    private static final BigDecimal FIVE = BigDecimal.valueOf(5);
    private static final BigDecimal NINE = BigDecimal.valueOf(9);


    private static BigDecimal round(BigDecimal value) {
        BigDecimal rounded = value.setScale(CONVERTED_SCALE, RoundingMode.HALF_UP).stripTrailingZeros();
        return rounded.scale() < 0 ? rounded.setScale(0) : rounded;
    }
}
