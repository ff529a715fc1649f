package io.vigil.model;

import java.math.BigDecimal;

/** A low-high range, either end open (null). */
public record Range(BigDecimal low, BigDecimal high) {
}
