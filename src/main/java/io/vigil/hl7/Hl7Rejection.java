package io.vigil.hl7;

import ca.uhn.hl7v2.AcknowledgmentCode;
import ca.uhn.hl7v2.ErrorCode;

/**
 * Why an inbound HL7 message is refused; becomes the MSA/ERR of the NAK.
 *
 * @param vigilCode Vigil's stable error code, documented in docs/errors.md (e.g. VIGIL-HL7-003)
 * @param location where in the message, e.g. "OBX-5 (set id 4)", or null
 */
public final class Hl7Rejection extends Exception {

    private final AcknowledgmentCode ackCode;
    private final ErrorCode errorCode;
    private final String vigilCode;
    private final String location;

    public Hl7Rejection(AcknowledgmentCode ackCode, ErrorCode errorCode, String vigilCode, String location,
                        String reason) {
        super(reason);
        this.ackCode = ackCode;
        this.errorCode = errorCode;
        this.vigilCode = vigilCode;
        this.location = location;
    }

    public AcknowledgmentCode ackCode() {
        return ackCode;
    }

    public ErrorCode errorCode() {
        return errorCode;
    }

    public String vigilCode() {
        return vigilCode;
    }

    public String location() {
        return location;
    }

    /** The text put in ERR and MSA: code, location and reason, no message content. */
    public String describe() {
        return vigilCode + ": " + getMessage() + (location == null ? "" : " at " + location);
    }
}
