package io.vigil.rules;

/** The fall of SpO2 from its highest value within the trend window to the latest value, in points. */
public class Spo2Trend {

    private final int drop;
    private final long windowMinutes;

    public Spo2Trend(int drop, long windowMinutes) {
        this.drop = drop;
        this.windowMinutes = windowMinutes;
    }

    public int getDrop() {
        return drop;
    }

    public long getWindowMinutes() {
        return windowMinutes;
    }
}
