package io.vigil.ingest;

/** Message headers Vigil sets on its queues; none carries patient data. */
public final class IngestHeaders {

    public static final String ACCEPTED = "VigilAccepted";
    public static final String CONTROL_ID = "VigilMessageControlId";
    public static final String PAYLOAD_SHA256 = "VigilPayloadSha256";
    public static final String SENDER = "VigilSender";
    public static final String PROTOCOL = "VigilProtocol";
    public static final String QUARANTINE_REASON = "VigilQuarantineReason";
    public static final String HOLD_REASON = "VigilHoldReason";
    public static final String OBSERVATION_COUNT = "VigilObservationCount";
    /** Why a message waits on a dead-letter queue (processing or delivery). */
    public static final String FAILURE_REASON = "VigilFailureReason";

    private IngestHeaders() {
    }
}
