package io.vigil.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.console.LatencyHistogram;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
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
 * line every 5 seconds and a summary at the end of the measured period (after a warm-up): messages per second
 * acknowledged, ACK latency percentiles, end-to-end latency from the device time to the bundle handed to the delivery
 * client, to the EHR's 2xx and to an alert (read from the appliance's /api/latency), NAKs and errors, and the
 * appliance's CPU and heap (read from its /actuator/prometheus).
 *
 * <pre>java -jar target/vigil.jar load --beds 500 --rate 1 --duration 60s --connections 20 --mqtt-share 0.5</pre>
 */
public final class LoadTool {

    private final LoadSettings settings;
    private final LatencyHistogram mllpLatency = new LatencyHistogram();
    private final LatencyHistogram mqttLatency = new LatencyHistogram();
    private final AtomicLong acked = new AtomicLong();
    private final AtomicLong naks = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong observationsAcked = new AtomicLong();
    private final LoadSchedule schedule = new LoadSchedule();
    private final String run = Long.toString(System.currentTimeMillis(), 36).toUpperCase(Locale.ROOT);
    private volatile boolean stopping;
    /** When the load stops; moved when an auto warm-up ends. */
    private volatile long endNanos;

    LoadTool(LoadSettings settings) {
        this.settings = settings;
    }

    public static void main(String[] args) throws Exception {
        LoadSettings settings;
        try {
            settings = LoadSettings.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("vigil load: " + e.getMessage());
            System.err.println("example: java -jar target/vigil.jar load --beds 2000 --rate 1 --warmup 20s --duration 60s --connections 50 --mllp-only");
            System.exit(2);
            return;
        }
        new LoadTool(settings).run();
    }

    void run() throws Exception {
        int mqttBeds = (int) Math.round(settings.beds() * settings.mqttShare());
        int mllpBeds = settings.beds() - mqttBeds;
        int mllpConnections = mllpBeds == 0 ? 0 : Math.min(settings.connections(), mllpBeds);
        int mqttClients = mqttBeds == 0 ? 0 : Math.min(settings.connections(), mqttBeds);
        if (settings.write() != null) {
            writeFrames(mllpBeds, mllpConnections);
            return;
        }
        System.out.printf("Vigil load: %d beds at %.2f msg/s each (%d over %d MLLP connections, %d over %d MQTT clients), "
                        + "%s warm-up then %ds measured, against %s%n",
                settings.beds(), settings.rate(), mllpBeds, mllpConnections, mqttBeds, mqttClients,
                settings.autoWarmup() ? String.format("auto (until the JIT compiler is busy under %.0f %% of %d s, %d to %d s)",
                        100 * JitWarmup.SETTLED_SHARE, JitWarmup.WINDOW_NANOS / 1_000_000_000L,
                        LoadSettings.AUTO_WARMUP_MIN.toSeconds(), LoadSettings.AUTO_WARMUP_MAX.toSeconds())
                        : settings.warmup().toSeconds() + "s",
                settings.duration().toSeconds(), settings.host());
        ExecutorService workers = Executors.newFixedThreadPool(Math.max(1, mllpConnections + mqttClients));
        long start = System.nanoTime();
        long measureFrom = start + settings.warmup().toNanos();
        endNanos = measureFrom + settings.duration().toNanos();
        int bed = 0;
        for (int c = 0; c < mllpConnections; c++) {
            List<SimulatedBed> beds = slice(bed, mllpBeds, mllpConnections, c);
            bed += beds.size();
            workers.submit(() -> mllpWorker(beds));
        }
        for (int c = 0; c < mqttClients; c++) {
            List<SimulatedBed> beds = slice(bed, mqttBeds, mqttClients, c);
            bed += beds.size();
            workers.submit(() -> mqttWorker(beds));
        }
        ApplianceGauge gauge = new ApplianceGauge(settings.host(), settings.httpPort(), settings.login());
        boolean warm = settings.warmup().isZero();
        if (warm) {
            gauge.resetLatency();
        }
        JitWarmup jit = new JitWarmup();
        long lastAcked = 0;
        long lastPublished = 0;
        long behindAtStart = 0;
        double offered = settings.beds() * settings.rate();
        while (System.nanoTime() < endNanos) {
            Thread.sleep(Math.max(1, Math.min(5000, (endNanos - System.nanoTime()) / 1_000_000)));
            long now = System.nanoTime();
            boolean jitSettled = settings.autoWarmup() && now - start >= LoadSettings.AUTO_WARMUP_MIN.toNanos()
                    && jit.settled();
            if (!warm && (now >= measureFrom || jitSettled)) {
                // the warm-up is over: count afresh, here and in the appliance
                String why = !settings.autoWarmup() ? ""
                        : jitSettled ? String.format(" after %d s (JIT compiler busy under %.0f %% of the last %d s)",
                                (now - start) / 1_000_000_000L, 100 * JitWarmup.SETTLED_SHARE,
                                JitWarmup.WINDOW_NANOS / 1_000_000_000L)
                        : String.format(" after %d s without the JIT compiler settling", (now - start) / 1_000_000_000L);
                measureFrom = now;
                endNanos = now + settings.duration().toNanos();
                behindAtStart = schedule.behind(now);
                warm = true;
                mllpLatency.reset();
                mqttLatency.reset();
                acked.set(0);
                published.set(0);
                observationsAcked.set(0);
                naks.set(0);
                errors.set(0);
                lastAcked = 0;
                lastPublished = 0;
                gauge.resetReadings();
                jit.restart();
                ApplianceGauge.Reading first = gauge.read();
                if (first != null) {
                    jit.add(System.nanoTime(), first.compileMillis());
                }
                boolean reset = gauge.resetLatency();
                System.out.println("  warm-up over" + why + ": measuring"
                        + (reset ? "" : " (the appliance's latency could not be reset)"));
                continue;
            }
            long a = acked.get();
            long p = published.get();
            ApplianceGauge.Reading r = gauge.read();
            if (r != null) {
                jit.add(System.nanoTime(), r.compileMillis());
            }
            double jitShare = jit.latestShare();
            System.out.printf("  t=%3ds  MLLP %7.0f ACK/s (p99 %6.1f ms)  MQTT %7.0f PUBACK/s (p99 %6.1f ms)  behind %4.1f s  NAK %d  errors %d%s%s%n",
                    (System.nanoTime() - start) / 1_000_000_000, (a - lastAcked) / 5.0, mllpLatency.percentileMillis(0.99),
                    (p - lastPublished) / 5.0, mqttLatency.percentileMillis(0.99), schedule.behind(now) / offered,
                    naks.get(), errors.get(),
                    r == null ? "" : String.format("  CPU %3.0f%%  heap %4d MiB", 100 * r.cpu(), r.heapBytes() / (1024 * 1024)),
                    jitShare < 0 ? "" : String.format("  JIT %3.0f%%", 100 * jitShare));
            lastAcked = a;
            lastPublished = p;
        }
        long behindAtEnd = schedule.behind(System.nanoTime());
        stopping = true;
        // what the appliance had delivered when the measured period ended (the percentiles are read after it drains)
        JsonNode atEnd = gauge.latency();
        workers.shutdown();
        workers.awaitTermination(60, TimeUnit.SECONDS);
        double seconds = settings.duration().toNanos() / 1e9;
        System.out.println();
        System.out.printf("Measured %.0f s after %d s of warm-up:%n%n", seconds, (measureFrom - start) / 1_000_000_000L);
        System.out.println("| path | count | per second | p50 ms | p99 ms | p99.9 ms |");
        System.out.println("|---|---|---|---|---|---|");
        row("MLLP ACK (after durable store)", mllpLatency.count(), seconds, mllpLatency.percentileMillis(0.50),
                mllpLatency.percentileMillis(0.99), mllpLatency.percentileMillis(0.999));
        row("MQTT PUBACK (QoS 1)", mqttLatency.count(), seconds, mqttLatency.percentileMillis(0.50),
                mqttLatency.percentileMillis(0.99), mqttLatency.percentileMillis(0.999));
        System.out.printf("| observations in the ACKed messages (MLLP and MQTT) | %d | %.0f | | | |%n",
                observationsAcked.get(), observationsAcked.get() / seconds);
        JsonNode latency = drained(gauge);
        if (latency == null) {
            System.out.println("| end to end | not read from /api/latency (--http-port, --login) | | | | |");
        } else {
            e2e("device to FHIR bundle handed to the delivery client", latency, atEnd, "deviceToBundleHanded", seconds);
            e2e("device to EHR 2xx (or outbox / fast sink)", latency, atEnd, "deviceToDelivered", seconds);
            e2e("device to alert raised", latency, atEnd, "deviceToAlert", seconds);
            long observations = (atEnd == null ? latency : atEnd).path("observationsDelivered").asLong();
            System.out.printf("| observations in the delivered bundles | %d | %.0f | | | |%n", observations,
                    observations / seconds);
            System.out.println("(end to end: per second = delivered within the measured period; percentiles include "
                    + "what was still waiting then, read once the appliance had drained or after 60 s)");
        }
        System.out.printf("%nACKed %d, NAKs %d, errors %d%n", acked.get() + published.get(), naks.get(), errors.get());
        System.out.println(LoadSchedule.verdict(offered, settings.beds(), behindAtStart, behindAtEnd));
        System.out.println(gauge.summary());
        double measuredJit = jit.shareSinceFirst();
        if (measuredJit >= 0) {
            System.out.printf("appliance JIT compiler busy %.0f %% of the measured period%s%n", 100 * measuredJit,
                    measuredJit < JitWarmup.SETTLED_SHARE ? ""
                            : ": the appliance was still warming up, so these figures are below what it sustains warm"
                            + " (a longer --warmup, or --warmup auto)");
        }
    }

    /** Waits (at most 60 s) until the appliance has delivered what was sent, then reads its latency counters. */
    private static JsonNode drained(ApplianceGauge gauge) throws InterruptedException {
        JsonNode latency = gauge.latency();
        long last = -1;
        int still = 0;
        for (int i = 0; i < 60 && latency != null && still < 3; i++) {
            long delivered = latency.path("deviceToDelivered").path("count").asLong();
            still = delivered == last ? still + 1 : 0;
            last = delivered;
            Thread.sleep(1000);
            latency = gauge.latency();
        }
        return latency;
    }

    private static void e2e(String path, JsonNode drained, JsonNode atEnd, String name, double seconds) {
        JsonNode node = drained.path(name);
        long withinPeriod = atEnd == null ? node.path("count").asLong() : atEnd.path(name).path("count").asLong();
        row(path, withinPeriod, seconds, node.path("p50Ms").asDouble(), node.path("p99Ms").asDouble(),
                node.path("p999Ms").asDouble());
    }

    private static void row(String path, long count, double seconds, double p50, double p99, double p999) {
        System.out.printf("| %s | %d | %.0f | %.2f | %.2f | %.2f |%n", path, count, count / seconds, p50, p99, p999);
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

    /**
     * Writes the frames each MLLP connection would send in --duration, one file per connection ({@code
     * connection-001.mllp}, ...), for a client that is not part of Vigil. The device times are those of the writing.
     */
    void writeFrames(int mllpBeds, int mllpConnections) throws IOException {
        Files.createDirectories(settings.write());
        long rounds = Math.max(1, Math.round(settings.duration().toSeconds() * settings.rate()));
        int bed = 0;
        long frames = 0;
        for (int c = 0; c < mllpConnections; c++) {
            List<SimulatedBed> beds = slice(bed, mllpBeds, mllpConnections, c);
            bed += beds.size();
            Path file = settings.write().resolve(String.format(Locale.ROOT, "connection-%03d.mllp", c + 1));
            try (var out = new BufferedOutputStream(Files.newOutputStream(file))) {
                for (long sequence = 0; sequence < rounds; sequence++) {
                    for (SimulatedBed b : beds) {
                        String hl7 = SimulatedMessages.pcd01(b, b.model().at(Duration.ZERO), now(),
                                "EXT" + run + "-" + b.number() + "-" + sequence, periodic(sequence));
                        out.write(MllpClient.frame(hl7.getBytes(StandardCharsets.UTF_8)));
                        frames++;
                    }
                }
            }
        }
        System.out.printf("Wrote %d MLLP frames for %d beds into %d files in %s%n", frames, mllpBeds, mllpConnections,
                settings.write());
    }

    /** One MLLP connection for its beds: each frame is written and its ACK read before the next (no HL7 library). */
    private void mllpWorker(List<SimulatedBed> beds) {
        long intervalNanos = (long) (1e9 / settings.rate());
        long next = System.nanoTime();
        LoadSchedule.Connection rounds = schedule.add(beds.size(), intervalNanos, next);
        long sequence = 0;
        MllpClient connection = null;
        while (!stopping && System.nanoTime() < endNanos) {
            for (SimulatedBed bed : beds) {
                boolean periodic = periodic(sequence);
                String hl7 = SimulatedMessages.pcd01(bed, bed.model().at(Duration.ZERO), now(),
                        "LOAD" + run + "-" + bed.number() + "-" + sequence, periodic);
                rounds.sent(); // this bed's message of the round: answered, refused, or lost with its connection
                try {
                    if (connection == null) {
                        connection = new MllpClient(settings.host(), settings.mllpPort());
                    }
                    long t0 = System.nanoTime();
                    String ack = connection.send(hl7.getBytes(StandardCharsets.UTF_8));
                    long latency = System.nanoTime() - t0;
                    if (ack.contains("MSA|AA|")) {
                        mllpLatency.record(latency); // the ACK table counts acknowledgements, not NAKs
                        acked.incrementAndGet();
                        observationsAcked.addAndGet(SimulatedMessages.pcd01Observations(periodic));
                    } else {
                        naks.incrementAndGet();
                    }
                } catch (IOException e) {
                    errors.incrementAndGet();
                    if (connection != null) {
                        connection.close();
                    }
                    connection = null;
                    // as a monitor would: wait a second before connecting again (refused above vigil.mllp.max-connections)
                    sleepUntil(System.nanoTime() + 1_000_000_000L);
                }
            }
            sequence++;
            next += intervalNanos;
            sleepUntil(next);
        }
        if (connection != null) {
            connection.close();
        }
    }

    private void mqttWorker(List<SimulatedBed> beds) {
        long intervalNanos = (long) (1e9 / settings.rate());
        long next = System.nanoTime();
        LoadSchedule.Connection rounds = schedule.add(beds.size(), intervalNanos, next);
        long sequence = 0;
        try {
            MqttClient client = new MqttClient("tcp://" + settings.host() + ":" + settings.mqttPort(),
                    "vigil-load-" + run + "-" + beds.get(0).number(), new MemoryPersistence());
            MqttConnectionOptions options = new MqttConnectionOptions();
            options.setCleanStart(true);
            options.setReceiveMaximum(65535);
            client.connect(options);
            while (!stopping && System.nanoTime() < endNanos) {
                for (SimulatedBed bed : beds) {
                    boolean periodic = periodic(sequence);
                    String json = SimulatedMessages.deviceJson(bed, bed.model().at(Duration.ZERO), now(),
                            "LOADQ" + run + "-" + bed.number() + "-" + sequence, periodic);
                    MqttMessage message = new MqttMessage(json.getBytes(StandardCharsets.UTF_8));
                    message.setQos(1);
                    long t0 = System.nanoTime();
                    rounds.sent();
                    try {
                        client.publish("vigil/devices/" + bed.eui64() + "/observations", message);
                        mqttLatency.record(System.nanoTime() - t0);
                        published.incrementAndGet();
                        observationsAcked.addAndGet(SimulatedMessages.deviceJsonObservations(periodic));
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

    /** Blood pressure and temperature in every --panel-every'th message of a bed (30th by default). */
    private boolean periodic(long sequence) {
        return sequence % settings.panelEvery() == 0;
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);
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
