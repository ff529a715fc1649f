package io.vigil.console;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.springframework.jmx.export.annotation.ManagedAttribute;
import org.springframework.jmx.export.annotation.ManagedOperation;
import org.springframework.jmx.export.annotation.ManagedResource;
import org.springframework.stereotype.Component;

/**
 * End-to-end latency from the device's own measurement time (OBX-14, or the time of a device JSON value; the newest
 * of a message's values) to three points: the FHIR bundle handed to the delivery client, the EHR's 2xx (or the
 * bundle kept by the outbox or counted by the fast sink), and an alert raised by the clinical rules. Device clocks
 * ahead of the appliance's count as 0. Read at GET /api/latency, JMX io.vigil:type=Latency; reset by
 * POST /api/latency/reset (the load tool does after its warm-up).
 */
@Component
@ManagedResource(objectName = "io.vigil:type=Latency", description = "Device time to FHIR delivery and to alert")
public class Latencies {

    /** Header (JMS property) carried with a bundle: the newest device measurement time, epoch milliseconds. */
    public static final String DEVICE_TIME = "VigilDeviceTime";

    private final LatencyHistogram handed = new LatencyHistogram();
    private final LatencyHistogram delivered = new LatencyHistogram();
    private final LatencyHistogram alerted = new LatencyHistogram();
    private final LongAdder observationsDelivered = new LongAdder();
    private volatile Instant since = Instant.now();

    public void handed(Long deviceEpochMillis) {
        record(handed, deviceEpochMillis);
    }

    /** @param observations the observations of the delivered bundle's message (header VigilObservationCount) */
    public void delivered(Long deviceEpochMillis, Object observations) {
        record(delivered, deviceEpochMillis);
        if (observations instanceof Number n) {
            observationsDelivered.add(n.longValue());
        } else if (observations != null) {
            observationsDelivered.add(Long.parseLong(observations.toString()));
        }
    }

    public void alerted(Long deviceEpochMillis) {
        record(alerted, deviceEpochMillis);
    }

    private static void record(LatencyHistogram histogram, Long deviceEpochMillis) {
        if (deviceEpochMillis != null && deviceEpochMillis > 0) {
            histogram.record(Math.max(0, System.currentTimeMillis() - deviceEpochMillis) * 1_000_000L);
        }
    }

    @ManagedOperation(description = "Start counting afresh")
    public void reset() {
        handed.reset();
        delivered.reset();
        alerted.reset();
        observationsDelivered.reset();
        since = Instant.now();
    }

    public Map<String, Object> snapshot() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("since", since.toString());
        m.put("deviceToBundleHanded", summary(handed));
        m.put("deviceToDelivered", summary(delivered));
        m.put("deviceToAlert", summary(alerted));
        m.put("observationsDelivered", observationsDelivered.sum());
        return m;
    }

    private static Map<String, Object> summary(LatencyHistogram h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", h.count());
        m.put("p50Ms", round(h.percentileMillis(0.50)));
        m.put("p99Ms", round(h.percentileMillis(0.99)));
        m.put("p999Ms", round(h.percentileMillis(0.999)));
        return m;
    }

    private static double round(double ms) {
        return Math.round(ms * 100) / 100.0;
    }

    @ManagedAttribute(description = "Device time to the EHR's 2xx (or the outbox), p50 in ms, since the last reset")
    public double getDeviceToDeliveredP50Millis() {
        return round(delivered.percentileMillis(0.50));
    }

    @ManagedAttribute(description = "Device time to the EHR's 2xx (or the outbox), p99 in ms, since the last reset")
    public double getDeviceToDeliveredP99Millis() {
        return round(delivered.percentileMillis(0.99));
    }

    @ManagedAttribute(description = "Device time to an alert raised by the rules, p99 in ms, since the last reset")
    public double getDeviceToAlertP99Millis() {
        return round(alerted.percentileMillis(0.99));
    }

    @ManagedAttribute(description = "Bundles delivered since the last reset")
    public long getDelivered() {
        return delivered.count();
    }

    @ManagedAttribute(description = "When counting started (ISO instant)")
    public String getSince() {
        return since.toString();
    }
}
