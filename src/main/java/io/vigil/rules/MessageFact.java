package io.vigil.rules;

/** Governance facts about one source message as a whole. */
public class MessageFact {

    private final String protocol;
    private final String processingId;
    private final String deviceId;
    private final String deviceStatus;
    private final boolean registryEnforced;
    private final boolean patientResolved;
    private final boolean productionDestination;

    public MessageFact(String protocol, String processingId, String deviceId, String deviceStatus,
                       boolean registryEnforced, boolean patientResolved, boolean productionDestination) {
        this.protocol = protocol;
        this.processingId = processingId == null ? "P" : processingId;
        this.deviceId = deviceId;
        this.deviceStatus = deviceStatus;
        this.registryEnforced = registryEnforced;
        this.patientResolved = patientResolved;
        this.productionDestination = productionDestination;
    }

    public String getProtocol() {
        return protocol;
    }

    public String getProcessingId() {
        return processingId;
    }

    public String getDeviceId() {
        return deviceId;
    }

    /** APPROVED, PENDING (seen, not yet approved) or UNKNOWN (no device id). */
    public String getDeviceStatus() {
        return deviceStatus;
    }

    public boolean isRegistryEnforced() {
        return registryEnforced;
    }

    public boolean isPatientResolved() {
        return patientResolved;
    }

    public boolean isProductionDestination() {
        return productionDestination;
    }
}
