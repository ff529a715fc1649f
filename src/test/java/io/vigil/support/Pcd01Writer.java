package io.vigil.support;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;

/** Writes PCD-01 ORU^R01 messages with chosen vital signs, as a bedside monitor would send them. */
public final class Pcd01Writer {

    private static final DateTimeFormatter HL7 = DateTimeFormatter.ofPattern("yyyyMMddHHmmssZ");

    private Pcd01Writer() {
    }

    /** Null values are left out; {@code acvpu} is sent as LOINC 67775-7 text. */
    public static String vitals(String controlId, String patientId, String ward, String eui, OffsetDateTime time,
                                Integer hr, Integer spo2, Integer rr, Integer sys, Integer dia, String temp, String acvpu) {
        String ts = HL7.format(time);
        StringBuilder m = new StringBuilder();
        m.append("MSH|^~\\&|TEST_MONITOR^").append(eui).append("^EUI-64||||").append(ts)
                .append("||ORU^R01^ORU_R01|").append(controlId).append("|P|2.6\r");
        m.append("PID|||").append(patientId).append("^^^RULESIT^MR\r");
        m.append("PV1||I|").append(ward).append("^^1\r");
        m.append("OBR|1|||182777000^monitoring of patient^SCT|||").append(ts).append("\r");
        int set = 1;
        set = row(m, set, "147842^MDC_ECG_HEART_RATE^MDC", "1.1.1.1", hr, "/min^/min^UCUM", ts);
        set = row(m, set, "150456^MDC_PULS_OXIM_SAT_O2^MDC", "1.2.1.1", spo2, "%^%^UCUM", ts);
        set = row(m, set, "151562^MDC_RESP_RATE^MDC", "1.1.2.1", rr, "/min^/min^UCUM", ts);
        set = row(m, set, "150021^MDC_PRESS_BLD_NONINV_SYS^MDC", "1.3.1.1", sys, "mm[Hg]^mm[Hg]^UCUM", ts);
        set = row(m, set, "150022^MDC_PRESS_BLD_NONINV_DIA^MDC", "1.3.1.2", dia, "mm[Hg]^mm[Hg]^UCUM", ts);
        set = row(m, set, "150364^MDC_TEMP_BODY^MDC", "1.4.1.1", temp, "Cel^Cel^UCUM", ts);
        if (acvpu != null) {
            m.append("OBX|").append(set).append("|ST|67775-7^Level of responsiveness^LN||").append(acvpu)
                    .append("||||||F|||").append(ts).append("\r");
        }
        return m.toString();
    }

    private static int row(StringBuilder m, int set, String code, String path, Object value, String unit, String ts) {
        if (value == null) {
            return set;
        }
        m.append("OBX|").append(set).append("|NM|").append(code).append("|").append(path).append("|").append(value)
                .append("|").append(unit).append("|||||F|||").append(ts).append("\r");
        return set + 1;
    }
}
