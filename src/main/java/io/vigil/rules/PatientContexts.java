package io.vigil.rules;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Clinical context set by people, not devices: SpO2 scale 2 for hypercapnic respiratory failure (a clinical
 * decision the engine must be told, never infer) and "on oxygen" when no device reports oxygen delivery.
 * Set over HTTP (PUT /api/patients/context); kept in memory.
 */
public final class PatientContexts {

    /** @param spo2Scale 1 or 2, null when not set; @param onOxygen null when not set */
    public record Context(Integer spo2Scale, Boolean onOxygen) {
    }

    private final Map<String, Context> contexts = new ConcurrentHashMap<>();

    public void put(String patientKey, Context context) {
        if (context.spo2Scale() != null && context.spo2Scale() != 1 && context.spo2Scale() != 2) {
            throw new IllegalArgumentException("spo2Scale must be 1 or 2");
        }
        contexts.put(patientKey, context);
    }

    public Optional<Context> of(String patientKey) {
        return Optional.ofNullable(contexts.get(patientKey));
    }
}
