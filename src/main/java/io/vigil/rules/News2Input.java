package io.vigil.rules;

/**
 * The seven NEWS2 parameters of one patient, rounded to the chart's precision (see {@link News2Rounding});
 * a parameter with no fresh value is null.
 */
public class News2Input {

    private final Integer respirationRate;
    private final Integer spo2;
    private final Boolean onOxygen;
    private final Integer systolic;
    private final Integer pulse;
    private final String consciousness;
    private final Integer temperatureTenths;
    private final int spo2Scale;

    public News2Input(Integer respirationRate, Integer spo2, Boolean onOxygen, Integer systolic, Integer pulse,
                      String consciousness, Integer temperatureTenths, int spo2Scale) {
        this.respirationRate = respirationRate;
        this.spo2 = spo2;
        this.onOxygen = onOxygen;
        this.systolic = systolic;
        this.pulse = pulse;
        this.consciousness = consciousness;
        this.temperatureTenths = temperatureTenths;
        this.spo2Scale = spo2Scale;
    }

    public Integer getRespirationRate() {
        return respirationRate;
    }

    public Integer getSpo2() {
        return spo2;
    }

    public Boolean getOnOxygen() {
        return onOxygen;
    }

    public Integer getSystolic() {
        return systolic;
    }

    public Integer getPulse() {
        return pulse;
    }

    public String getConsciousness() {
        return consciousness;
    }

    /** Temperature in tenths of a degree Celsius (37.0 °C is 370), so that chart boundaries compare exactly. */
    public Integer getTemperatureTenths() {
        return temperatureTenths;
    }

    public int getSpo2Scale() {
        return spo2Scale;
    }
}
