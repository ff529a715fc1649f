package io.vigil.model;

import com.fasterxml.jackson.annotation.JsonIgnore;

/** Point of care as sent (PV1-3): unit, room and bed; any part may be null. */
public record Location(String unit, String room, String bed) {

    @JsonIgnore
    public boolean isEmpty() {
        return unit == null && room == null && bed == null;
    }
}
