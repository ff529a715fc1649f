package io.vigil.model;

import java.math.BigDecimal;

/**
 * A value: a quantity with a UCUM unit, or text. {@code unitAsSent} keeps what the device sent when it could
 * not be mapped to UCUM ({@code ucum} is then null).
 */
public record ObservationValue(BigDecimal quantity, String ucum, String unitAsSent, String text) {

    public static ObservationValue quantity(BigDecimal number, String ucum, String unitAsSent) {
        return new ObservationValue(number, ucum, unitAsSent, null);
    }

    public static ObservationValue text(String text) {
        return new ObservationValue(null, null, null, text);
    }

    public boolean hasQuantity() {
        return quantity != null;
    }
}
