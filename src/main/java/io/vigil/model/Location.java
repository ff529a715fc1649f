package io.vigil.model;

/** Point of care as sent (PV1-3): unit, room and bed; any part may be null. */
public record Location(String unit, String room, String bed) {

    public boolean isEmpty() {
        return unit == null && room == null && bed == null;
    }
}
