package io.vigil.simulator;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Writes a bed's vital signs as an IHE PCD-01 ORU^R01 (v2.6) or as Vigil device JSON. */
final class SimulatedMessages {

    static final String PATIENT_AUTHORITY = "VIGILSIM";
    static final String PATIENT_SYSTEM = "urn:vigil:id:" + PATIENT_AUTHORITY;
    private static final DateTimeFormatter HL7 = DateTimeFormatter.ofPattern("yyyyMMddHHmmss.SSSZ");

    private SimulatedMessages() {
    }

    /** The observations {@link #pcd01} writes: heart rate, SpO2, respiration; NIBP (3) and temperature when periodic. */
    static int pcd01Observations(boolean withPeriodic) {
        return withPeriodic ? 7 : 3;
    }

    /** The values {@link #deviceJson} writes: SpO2, pulse, respiration; NIBP (2) and temperature when periodic. */
    static int deviceJsonObservations(boolean withPeriodic) {
        return withPeriodic ? 6 : 3;
    }

    /** Blood pressure and temperature are periodic measurements: included when {@code withPeriodic}. */
    static String pcd01(SimulatedBed bed, Vitals v, OffsetDateTime time, String controlId, boolean withPeriodic) {
        String ts = HL7.format(time);
        String eui = bed.eui64();
        StringBuilder m = new StringBuilder();
        m.append("MSH|^~\\&|VIGIL_SIM^").append(eui).append("^EUI-64||||").append(ts).append("||ORU^R01^ORU_R01|")
                .append(controlId).append("|P|2.6|||AL|NE||UNICODE UTF-8|||IHE_PCD_001^IHE PCD^1.3.6.1.4.1.19376.1.6.1.1.1^ISO\r");
        m.append("PID|||").append(bed.patientId()).append("^^^").append(PATIENT_AUTHORITY).append("^MR||SIMULATED^PATIENT\r");
        m.append("PV1||I|").append(bed.unit()).append("^^").append(bed.bed()).append("\r");
        m.append("OBR|1|").append(controlId).append("^VIGIL_SIM^").append(eui).append("^EUI-64|").append(controlId)
                .append("^VIGIL_SIM^").append(eui).append("^EUI-64|182777000^monitoring of patient^SCT|||").append(ts).append("\r");
        int set = 1;
        m.append(obx(set++, "", "69965^MDC_DEV_MON_PHYSIO_MULTI_PARAM_MDS^MDC", "1.0.0.0", "", "", "X", ts, eui));
        m.append(obx(set++, "NM", "147842^MDC_ECG_HEART_RATE^MDC", "1.1.1.1", v.heartRate(), "264864^MDC_DIM_BEAT_PER_MIN^MDC", "R", ts, null));
        m.append(obx(set++, "NM", "150456^MDC_PULS_OXIM_SAT_O2^MDC", "1.2.1.1", v.spo2(), "262688^MDC_DIM_PERCENT^MDC", "R", ts, null));
        m.append(obx(set++, "NM", "151562^MDC_RESP_RATE^MDC", "1.1.2.1", v.respiratoryRate(), "264928^MDC_DIM_RESP_PER_MIN^MDC", "R", ts, null));
        if (withPeriodic) {
            m.append(obx(set++, "NM", "150021^MDC_PRESS_BLD_NONINV_SYS^MDC", "1.3.1.1", v.systolic(), "266016^MDC_DIM_MMHG^MDC", "R", ts, null));
            m.append(obx(set++, "NM", "150022^MDC_PRESS_BLD_NONINV_DIA^MDC", "1.3.1.2", v.diastolic(), "266016^MDC_DIM_MMHG^MDC", "R", ts, null));
            m.append(obx(set++, "NM", "150023^MDC_PRESS_BLD_NONINV_MEAN^MDC", "1.3.1.3", v.meanArterial(), "266016^MDC_DIM_MMHG^MDC", "R", ts, null));
            m.append(obx(set, "NM", "150364^MDC_TEMP_BODY^MDC", "1.4.1.1", String.format(Locale.ROOT, "%.1f", v.temperature()), "268192^MDC_DIM_DEGC^MDC", "R", ts, null));
        }
        return m.toString();
    }

    private static String obx(int set, String type, String code, String path, Object value, String unit, String status,
                              String ts, String equipment) {
        return "OBX|" + set + "|" + type + "|" + code + "|" + path + "|" + value + "|" + unit + "|||||" + status + "|||" + ts
                + (equipment == null ? "" : "||||" + equipment + "^EUI-64") + "\r";
    }

    static String deviceJson(SimulatedBed bed, Vitals v, OffsetDateTime time, String messageId, boolean withPeriodic) {
        String t = time.toString();
        StringBuilder j = new StringBuilder();
        j.append("{\"messageId\":\"").append(messageId).append("\",")
                .append("\"patient\":{\"system\":\"").append(PATIENT_SYSTEM).append("\",\"value\":\"").append(bed.patientId()).append("\"},")
                .append("\"location\":{\"unit\":\"").append(bed.unit()).append("\",\"bed\":\"").append(bed.bed()).append("\"},")
                .append("\"device\":{\"id\":\"").append(bed.eui64()).append("\",\"idType\":\"EUI-64\",\"model\":\"Vigil simulated wearable\"},")
                .append("\"observations\":[");
        j.append(value("150456", v.spo2(), "%", t)).append(',')
                .append(value("149530", v.heartRate(), "/min", t)).append(',')
                .append(value("151562", v.respiratoryRate(), "/min", t));
        if (withPeriodic) {
            j.append(',').append(value("150021", v.systolic(), "mm[Hg]", t))
                    .append(',').append(value("150022", v.diastolic(), "mm[Hg]", t))
                    .append(',').append(value("150364", v.temperature(), "Cel", t));
        }
        return j.append("]}").toString();
    }

    private static String value(String mdc, Object value, String unit, String time) {
        return "{\"code\":{\"mdc\":\"" + mdc + "\"},\"value\":" + value + ",\"unit\":\"" + unit + "\",\"time\":\"" + time + "\"}";
    }
}
