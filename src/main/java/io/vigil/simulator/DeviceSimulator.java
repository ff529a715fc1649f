package io.vigil.simulator;

import ca.uhn.hl7v2.app.Connection;
import ca.uhn.hl7v2.model.Message;
import io.vigil.config.VigilProperties;
import io.vigil.hl7.Hl7Codec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Simulated bedside monitors for demonstrations and first runs: vigil.simulator.beds beds, each sending its
 * vital signs every vigil.simulator.interval, a share over MLLP as PCD-01 and the rest over MQTT as device JSON,
 * through the appliance's own listeners like any real device. Off unless vigil.simulator.enabled=true.
 */
@Component
@ConditionalOnProperty(name = "vigil.simulator.enabled", havingValue = "true")
class DeviceSimulator implements SmartLifecycle {

    /** Blood pressure and temperature come with every this-many-th message of a bed. */
    private static final int PERIODIC_EVERY = 30;
    private static final Duration DETERIORATION = Duration.ofMinutes(45);
    private static final Logger LOG = LoggerFactory.getLogger(DeviceSimulator.class);

    private final VigilProperties properties;
    private final Hl7Codec codec;
    private final List<SimulatedBed> mllpBeds = new ArrayList<>();
    private final List<SimulatedBed> mqttBeds = new ArrayList<>();
    private final String runId = Long.toString(Instant.now().getEpochSecond(), 36).toUpperCase();
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong mllpRounds = new AtomicLong();
    private final AtomicLong mqttRounds = new AtomicLong();
    private final AtomicLong sentMllp = new AtomicLong();
    private final AtomicLong sentMqtt = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private ScheduledExecutorService scheduler;
    private Instant startedAt;
    private Connection mllp;
    private MqttClient mqtt;
    private volatile boolean running;

    DeviceSimulator(VigilProperties properties, Hl7Codec codec) {
        this.properties = properties;
        this.codec = codec;
        VigilProperties.Simulator sim = properties.simulator();
        for (int bed = 1; bed <= sim.beds(); bed++) {
            BedModel model = new BedModel(bed, bed <= sim.deteriorating(), DETERIORATION);
            // spreads the MLLP share evenly over the beds (0.5: every second bed)
            boolean overMllp = Math.floor(bed * sim.mllpShare()) > Math.floor((bed - 1) * sim.mllpShare());
            (overMllp ? mllpBeds : mqttBeds).add(SimulatedBed.of(bed, model));
        }
    }

    /** Starts once every listener is up, so that the first messages are not refused. */
    @EventListener(ApplicationReadyEvent.class)
    void begin() {
        startedAt = Instant.now();
        scheduler = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "vigil-simulator");
            t.setDaemon(true);
            return t;
        });
        long period = properties.simulator().interval().toMillis();
        scheduler.scheduleAtFixedRate(this::sendMllpRound, 0, period, TimeUnit.MILLISECONDS);
        scheduler.scheduleAtFixedRate(this::sendMqttRound, period / 2, period, TimeUnit.MILLISECONDS);
        scheduler.scheduleAtFixedRate(this::report, 30, 30, TimeUnit.SECONDS);
        running = true;
        LOG.info("Simulator: {} beds ({} over MLLP, {} over MQTT), {} deteriorating, one message per bed every {} ms",
                mllpBeds.size() + mqttBeds.size(), mllpBeds.size(), mqttBeds.size(),
                properties.simulator().deteriorating(), period);
    }

    private void sendMllpRound() {
        boolean periodic = mllpRounds.getAndIncrement() % PERIODIC_EVERY == 0;
        for (SimulatedBed bed : mllpBeds) {
            String controlId = "SIM" + runId + "-" + bed.number() + "-" + sequence.incrementAndGet();
            String hl7 = SimulatedMessages.pcd01(bed, bed.model().at(elapsed()), now(), controlId, periodic);
            try {
                if (mllp == null || !mllp.isOpen()) {
                    mllp = codec.context().newClient(properties.mllp().host(), properties.mllp().port(), false);
                    mllp.getInitiator().setTimeout(30, TimeUnit.SECONDS);
                }
                Message ack = mllp.getInitiator().sendAndReceive(codec.context().getPipeParser().parse(hl7));
                if (codec.context().getPipeParser().encode(ack).contains("MSA|AA")) {
                    sentMllp.incrementAndGet();
                } else {
                    failures.incrementAndGet();
                }
            } catch (Exception e) {
                failures.incrementAndGet();
                closeMllp();
                LOG.debug("Simulator MLLP send failed: {}", e.toString());
                return;
            }
        }
    }

    private void sendMqttRound() {
        if (mqttBeds.isEmpty()) {
            return;
        }
        try {
            if (mqtt == null || !mqtt.isConnected()) {
                mqtt = new MqttClient("tcp://" + properties.mqtt().host() + ":" + properties.mqtt().port(),
                        "vigil-simulator-" + runId, new MemoryPersistence());
                MqttConnectionOptions options = new MqttConnectionOptions();
                options.setCleanStart(true);
                mqtt.connect(options);
            }
            boolean periodic = mqttRounds.getAndIncrement() % PERIODIC_EVERY == 0;
            for (SimulatedBed bed : mqttBeds) {
                String json = SimulatedMessages.deviceJson(bed, bed.model().at(elapsed()), now(),
                        "SIMQ" + runId + "-" + bed.number() + "-" + sequence.incrementAndGet(), periodic);
                MqttMessage message = new MqttMessage(json.getBytes(StandardCharsets.UTF_8));
                message.setQos(1);
                mqtt.publish("vigil/devices/" + bed.eui64() + "/observations", message);
                sentMqtt.incrementAndGet();
            }
        } catch (Exception e) {
            failures.incrementAndGet();
            LOG.debug("Simulator MQTT publish failed: {}", e.toString());
        }
    }

    private void report() {
        LOG.info("Simulator: {} messages sent over MLLP (ACKed), {} over MQTT, {} failed", sentMllp.get(), sentMqtt.get(),
                failures.get());
    }

    private Duration elapsed() {
        return Duration.between(startedAt, Instant.now());
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC).withNano(0);
    }

    private void closeMllp() {
        if (mllp != null) {
            try {
                mllp.close();
            } catch (Exception e) {
                LOG.debug("Simulator MLLP close: {}", e.toString());
            }
            mllp = null;
        }
    }

    @Override
    public void start() {
        // started by the ApplicationReadyEvent listener
    }

    @Override
    public void stop() {
        running = false;
        if (scheduler != null) {
            scheduler.shutdownNow();
            try {
                scheduler.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        closeMllp();
        try {
            if (mqtt != null && mqtt.isConnected()) {
                mqtt.disconnect();
            }
        } catch (Exception ignored) {
            // shutting down
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stop before the listeners it talks to. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE;
    }
}
