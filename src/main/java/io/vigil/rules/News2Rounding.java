package io.vigil.rules;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The chart is defined on whole numbers (respiration rate, SpO2, systolic pressure, pulse) and temperature to
 * 0.1 °C. A device value is rounded to that precision, half up, before it is scored: SBP 90.5 scores as 91,
 * SpO2 95.4 as 95, temperature 38.05 as 38.1.
 */
public final class News2Rounding {

    private News2Rounding() {
    }

    public static Integer whole(BigDecimal value) {
        return value == null ? null : value.setScale(0, RoundingMode.HALF_UP).intValueExact();
    }

    public static Integer tenths(BigDecimal celsius) {
        return celsius == null ? null : celsius.movePointRight(1).setScale(0, RoundingMode.HALF_UP).intValueExact();
    }
}
