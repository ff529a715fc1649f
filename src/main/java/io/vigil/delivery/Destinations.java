package io.vigil.delivery;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vigil.config.VigilProperties;
import io.vigil.governance.AuditTrail;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.camel.Exchange;
import org.apache.camel.Expression;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jmx.export.annotation.ManagedAttribute;
import org.springframework.jmx.export.annotation.ManagedResource;
import org.springframework.stereotype.Component;

/**
 * The treatment destinations beyond the EHR (vigil.destinations): each has its own durable queue
 * vigil.delivery.{name}, its own delivery route (an instance of route template deliver-destination) with its own
 * retries, and its own dead-letter queue, so that one slow destination never holds the EHR or the others.
 */
@Component("destinations")
@ManagedResource(objectName = "io.vigil:type=Delivery,name=destinations", description = "Further treatment destinations")
public class Destinations implements Expression {

    /** Exchange property naming the destination a delivery route serves. */
    public static final String PROPERTY = "vigilDestination";
    private static final Logger LOG = LoggerFactory.getLogger(Destinations.class);

    /** One further destination and what it has done. */
    public static final class Destination {
        private final String name;
        private final VigilProperties.Destination settings;
        private final FhirPoster poster;
        private final Timer timer;
        private final AtomicLong delivered = new AtomicLong();
        private final AtomicLong failedAttempts = new AtomicLong();

        Destination(String name, VigilProperties.Destination settings, MeterRegistry registry) {
            this.name = name;
            this.settings = settings;
            this.poster = new FhirPoster(settings.baseUrl(),
                    settings.timeout() == null ? Duration.ofSeconds(30) : settings.timeout(), settings.bearerToken());
            this.timer = Timer.builder("vigil.delivery.request").tag("destination", name)
                    .description("Time of one delivery attempt").publishPercentiles(0.5, 0.99).register(registry);
        }

        public String name() {
            return name;
        }

        public String queue() {
            return "vigil.delivery." + name;
        }

        public String deadLetterQueue() {
            return queue() + ".DLQ";
        }

        public String baseUrl() {
            return settings.baseUrl();
        }

        public long delivered() {
            return delivered.get();
        }

        public long failedAttempts() {
            return failedAttempts.get();
        }
    }

    private final Map<String, Destination> byName = new LinkedHashMap<>();
    private final AuditTrail audit;
    private final String furtherUris;

    public Destinations(VigilProperties properties, AuditTrail audit, MeterRegistry registry) {
        this.audit = audit;
        Map<String, VigilProperties.Destination> configured = properties.destinations() == null ? Map.of() : properties.destinations();
        configured.forEach((name, settings) -> {
            if (!name.matches("[a-z0-9][a-z0-9-]*") || "ehr".equals(name) || "research".equals(name)) {
                throw new IllegalArgumentException("vigil.destinations." + name
                        + ": a destination name is lower-case letters, digits and dashes, and not ehr or research");
            }
            if (settings.baseUrl() == null || settings.baseUrl().isBlank()) {
                throw new IllegalArgumentException("vigil.destinations." + name + ".base-url is required");
            }
            byName.put(name, new Destination(name, settings, registry));
            LOG.info("Delivering FHIR bundles also to destination {} at {} (queue vigil.delivery.{})", name, settings.baseUrl(), name);
        });
        furtherUris = byName.values().stream().map(d -> "store:queue:" + d.queue()).collect(Collectors.joining(","));
    }

    public List<Destination> all() {
        return new ArrayList<>(byName.values());
    }

    /**
     * The queue of every further destination, comma-separated; empty when there is none (the route sends to the EHR's
     * queue itself, without the copy of the exchange a recipient costs). One-way sends: an MLLP exchange expects a
     * reply, from its sender's ACK, not from these queues.
     */
    public String furtherUris() {
        return furtherUris;
    }

    /**
     * For route dispatch-outcome's recipient list ({@code ref: destinations}): {@link #furtherUris}, made at start.
     * An expression, where a bean method call would copy the whole exchange for every message to hand it over.
     */
    @Override
    public <T> T evaluate(Exchange exchange, Class<T> type) {
        return type == Object.class || type == String.class ? type.cast(furtherUris)
                : exchange.getContext().getTypeConverter().convertTo(type, exchange, furtherUris);
    }

    /** The step of a deliver-destination route: POST the bundle to the destination its route serves. */
    public void deliver(Exchange exchange) {
        Destination destination = byName.get(exchange.getProperty(PROPERTY, String.class));
        if (destination == null) {
            throw new IllegalStateException("no destination " + exchange.getProperty(PROPERTY) + " is configured");
        }
        byte[] bundle = DeliveryBatch.bundleBytes(exchange.getIn());
        try {
            destination.timer.record(() -> destination.poster.post(bundle));
        } catch (RuntimeException e) {
            destination.failedAttempts.incrementAndGet();
            throw e;
        }
        destination.delivered.incrementAndGet();
        audit.disclosed(destination.baseUrl(), destination.settings.purposeOfUse() == null ? "TREAT" : destination.settings.purposeOfUse(),
                EhrDelivery.patientKeys(exchange), EhrDelivery.messageId(exchange));
    }

    @ManagedAttribute(description = "Further destinations: name, base URL, delivered, failed attempts")
    public String[] getDestinations() {
        return byName.values().stream().map(d -> d.name() + " " + d.baseUrl() + " delivered=" + d.delivered()
                + " failedAttempts=" + d.failedAttempts()).toArray(String[]::new);
    }
}
