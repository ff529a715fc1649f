package io.vigil.simulator;

import ca.uhn.hl7v2.app.Connection;
import io.vigil.hl7.Hl7Codec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;

/**
 * Drives a running appliance as N bedside monitors: PCD-01 over many MLLP connections (each waits for its ACK)
 * and device JSON over MQTT QoS 1 (each publish waits for its PUBACK), at a fixed rate per bed. Prints a progress
 * line every 5 seconds and a summary at the end: messages per second sent and acknowledged, ACK latency
 * percentiles, NAKs and errors, and the appliance's CPU and heap (read from its /actuator/prometheus).
 *
 * <pre>java -jar target/vigil.jar load --beds 500 --rate 1 --duration 60s --connections 20 --mqtt-share 0.5</pre>
 */
public final class LoadTool {

    private final LoadSettings settings;
    private final LatencyRecorder mllpLatency = new LatencyRecorder();
    private final LatencyRecorder mqttLatency = new LatencyRecorder();
    private final AtomicLong acked = new AtomicLong();
    private final AtomicLong naks = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong published = new AtomicLong();
    private final String run = Long.toString(System.currentTimeMillis(), 36).toUpperCase(Locale.ROOT);
    private volatile boolean stopping;

    LoadTool(LoadSettings settings) {
        this.settings = settings;
    }

    public static void main(String[] args) throws Exception {
        LoadSettings settings = LoadSettings.parse(args);
        new LoadTool(settings).run();
    }

    void run() throws Exception {
        int mqttBeds = (int) Math.round(settings.beds() * settings.mqttShare());
        int mllpBeds = settings.beds() - mqttBeds;
        int mllpConnections = mllpBeds == 0 ? 0 : Math.min(settings.connections(), mllpBeds);
        int mqttClients = mqttBeds == 0 ? 0 : Math.min(settings.connections(), mqttBeds);
        System.out.printf("Vigil load: %d beds at %.2f msg/s each (%d over %d MLLP connections, %d over %d MQTT clients) for %ds against %s%n",
                settings.beds(), settings.rate(), mllpBeds, mllpConnections, mqttBeds, mqttClients,
                settings.duration().toSeconds(), settings.host());
        ExecutorService workers = Executors.newFixedThreadPool(Math.max(1, mllpConnections + mqttClients));
        long start = System.nanoTime();
        long end = start + settings.duration().toNanos();
        int bed = 0;
        for (int c = 0; c < mllpConnections; c++) {
            List<SimulatedBed> beds = slice(bed, mllpBeds, mllpConnections, c);
            bed += beds.size();
            workers.submit(() -> mllpWorker(beds, end));
        }
        for (int c = 0; c < mqttClients; c++) {
            List<SimulatedBed> beds = slice(bed, mqttBeds, mqttClients, c);
            bed += beds.size();
            workers.submit(() -> mqttWorker(beds, end));
        }
        long lastAcked = 0;
        long lastPublished = 0;
        ApplianceGauge gauge = new ApplianceGauge(settings.host(), settings.httpPort(), settings.login());
        while (System.nanoTime() < end) {
            Thread.sleep(5000);
            long a = acked.get();
            long p = published.get();
            ApplianceGauge.Reading r = gauge.read();
            System.out.printf("  t=%3ds  MLLP %7.0f ACK/s (p99 %6.1f ms)  MQTT %7.0f PUBACK/s (p99 %6.1f ms)  NAK %d  errors %d%s%n",
                    (System.nanoTime() - start) / 1_000_000_000, (a - lastAcked) / 5.0, mllpLatency.percentileMillis(0.99),
                    (p - lastPublished) / 5.0, mqttLatency.percentileMillis(0.99), naks.get(), errors.get(),
                    r == null ? "" : String.format("  CPU %3.0f%%  heap %4d MiB", 100 * r.cpu(), r.heapBytes() / (1024 * 1024)));
            lastAcked = a;
            lastPublished = p;
        }
        stopping = true;
        workers.shutdown();
        workers.awaitTermination(60, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.println();
        System.out.println("| path | acknowledged | per second | p50 ms | p99 ms | p99.9 ms |");
        System.out.println("|---|---|---|---|---|---|");
        row("MLLP ACK (after durable store)", mllpLatency, acked.get(), seconds);
        row("MQTT PUBACK (QoS 1)", mqttLatency, published.get(), seconds);
        System.out.printf("%nNAKs %d, errors %d, %.1f s%n", naks.get(), errors.get(), seconds);
        System.out.println(gauge.summary());
    }

    private static void row(String path, LatencyRecorder latency, long count, double seconds) {
        System.out.printf("| %s | %d | %.0f | %.2f | %.2f | %.2f |%n", path, count, count / seconds,
                latency.percentileMillis(0.50), latency.percentileMillis(0.99), latency.percentileMillis(0.999));
    }

    private List<SimulatedBed> slice(int first, int total, int parts, int part) {
        int size = total / parts + (part < total % parts ? 1 : 0);
        List<SimulatedBed> beds = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            int number = first + i + 1;
            beds.add(SimulatedBed.of(number, new BedModel(number, number % 10 == 0, Duration.ofMinutes(45))));
        }
        return beds;
    }

    private void mllpWorker(List<SimulatedBed> beds, long end) {
        Hl7Codec codec = new Hl7Codec(StandardCharsets.UTF_8);
        long intervalNanos = (long) (1e9 / settings.rate());
        long next = System.nanoTime();
        long sequence = 0;
        Connection connection = null;
        while (!stopping && System.nanoTime() < end) {
            for (SimulatedBed bed : beds) {
                String hl7 = SimulatedMessages.pcd01(bed, bed.model().at(Duration.ZERO), now(),
                        "LOAD" + run + "-" + bed.number() + "-" + sequence, sequence % 30 == 0);
                try {
                    if (connection == null || !connection.isOpen()) {
                        connection = codec.context().newClient(settings.host(), settings.mllpPort(), false);
                        connection.getInitiator().setTimeout(30, TimeUnit.SECONDS);
                    }
                    long t0 = System.nanoTime();
                    String ack = codec.context().getPipeParser().encode(
                            connection.getInitiator().sendAndReceive(codec.context().getPipeParser().parse(hl7)));
                    mllpLatency.record(System.nanoTime() - t0);
                    if (ack.contains("MSA|AA")) {
                        acked.incrementAndGet();
                    } else {
                        naks.incrementAndGet();
                    }
                } catch (Exception e) {
                    errors.incrementAndGet();
                    connection = null;
                }
            }
            sequence++;
            next += intervalNanos;
            sleepUntil(next);
        }
        if (connection != null) {
            try {
                connection.close();
            } catch (Exception e) {
                errors.incrementAndGet();
            }
        }
    }

    private void mqttWorker(List<SimulatedBed> beds, long end) {
        long intervalNanos = (long) (1e9 / settings.rate());
        long next = System.nanoTime();
        long sequence = 0;
        try {
            MqttClient client = new MqttClient("tcp://" + settings.host() + ":" + settings.mqttPort(),
                    "vigil-load-" + run + "-" + beds.get(0).number(), new MemoryPersistence());
            MqttConnectionOptions options = new MqttConnectionOptions();
            options.setCleanStart(true);
            options.setReceiveMaximum(65535);
            client.connect(options);
            while (!stopping && System.nanoTime() < end) {
                for (SimulatedBed bed : beds) {
                    String json = SimulatedMessages.deviceJson(bed, bed.model().at(Duration.ZERO), now(),
                            "LOADQ" + run + "-" + bed.number() + "-" + sequence, sequence % 30 == 0);
                    MqttMessage message = new MqttMessage(json.getBytes(StandardCharsets.UTF_8));
                    message.setQos(1);
                    long t0 = System.nanoTime();
                    try {
                        client.publish("vigil/devices/" + bed.eui64() + "/observations", message);
                        mqttLatency.record(System.nanoTime() - t0);
                        published.incrementAndGet();
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                }
                sequence++;
                next += intervalNanos;
                sleepUntil(next);
            }
            client.disconnect();
            client.close();
        } catch (Exception e) {
            errors.incrementAndGet();
            System.out.println("MQTT client failed: " + e);
        }
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC).withNano(0);
    }

    private static void sleepUntil(long nanoTime) {
        long wait = nanoTime - System.nanoTime();
        if (wait > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
