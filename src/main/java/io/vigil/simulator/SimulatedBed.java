package io.vigil.simulator;

import java.util.Locale;

/** A simulated bed: its monitor's EUI-64, its patient and its place. */
record SimulatedBed(int number, String eui64, String patientId, String unit, String bed, BedModel model) {

    static SimulatedBed of(int number, BedModel model) {
        return new SimulatedBed(number, String.format(Locale.ROOT, "0A0B0C0D%08X", number),
                String.format(Locale.ROOT, "SIM-%04d", number), "SIM-WARD", String.valueOf(number), model);
    }
}
