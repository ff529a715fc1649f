package io.vigil.simulator;

/** One set of simulated vital signs. */
record Vitals(int heartRate, int spo2, int respiratoryRate, int systolic, int diastolic, double temperature) {

    int meanArterial() {
        return Math.round((systolic + 2f * diastolic) / 3f);
    }
}
