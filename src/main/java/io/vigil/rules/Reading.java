package io.vigil.rules;

/**
 * One fresh value of one clinical parameter for threshold rules; the decision table sets the limits that
 * apply to the patient's ward, then asks {@link Decisions#threshold} to compare.
 */
public class Reading {

    private final String parameter;
    private final double value;
    private final String ward;
    private Double below;
    private Double above;
    private int severity = 2;

    public Reading(String parameter, double value, String ward) {
        this.parameter = parameter;
        this.value = value;
        this.ward = ward == null ? "" : ward;
    }

    public String getParameter() {
        return parameter;
    }

    public double getValue() {
        return value;
    }

    public String getWard() {
        return ward;
    }

    public void setBelow(double limit) {
        this.below = limit;
    }

    public void setAbove(double limit) {
        this.above = limit;
    }

    public void setSeverity(int severity) {
        this.severity = severity;
    }

    int severity() {
        return severity;
    }

    Double below() {
        return below;
    }

    Double above() {
        return above;
    }
}
