package io.vigil.console;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.vigil.broker.FlowControlLog;
import io.vigil.broker.QueueDepths;
import io.vigil.config.VigilProperties;
import io.vigil.delivery.DeliveryBacklog;
import io.vigil.delivery.Destinations;
import io.vigil.delivery.EhrDelivery;
import io.vigil.delivery.ResearchDelivery;
import io.vigil.ingest.Hl7Ingest;
import io.vigil.ingest.MllpConnections;
import io.vigil.ingest.MqttIngest;
import io.vigil.ingest.VendorIngest;
import io.vigil.rules.RulesConsole;
import org.springframework.stereotype.Component;

/**
 * Vigil's state as Prometheus metrics (/actuator/prometheus, behind the console login): the depth of every queue
 * (dead letters, quarantine and held messages included), message outcomes per protocol, deliveries and failed
 * attempts per destination, and the patients the clinical rules track.
 */
@Component
class VigilMetrics implements MeterBinder {

    private final VigilProperties properties;
    private final QueueDepths depths;
    private final Hl7Ingest hl7;
    private final MqttIngest mqtt;
    private final EhrDelivery ehr;
    private final ResearchDelivery research;
    private final RulesConsole rules;
    private final VendorIngest vendors;
    private final Destinations destinations;
    private final MllpConnections mllpConnections;
    private final FlowControlLog flowControl;
    private final DeliveryBacklog deliveryBacklog;

    VigilMetrics(VigilProperties properties, QueueDepths depths, Hl7Ingest hl7, MqttIngest mqtt, EhrDelivery ehr,
                 ResearchDelivery research, RulesConsole rules, VendorIngest vendors, Destinations destinations,
                 MllpConnections mllpConnections, FlowControlLog flowControl,
                 DeliveryBacklog deliveryBacklog) {
        this.deliveryBacklog = deliveryBacklog;
        this.mllpConnections = mllpConnections;
        this.flowControl = flowControl;
        this.vendors = vendors;
        this.destinations = destinations;
        this.properties = properties;
        this.depths = depths;
        this.hl7 = hl7;
        this.mqtt = mqtt;
        this.ehr = ehr;
        this.research = research;
        this.rules = rules;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        properties.queue().values().forEach(name -> Gauge.builder("vigil.queue.depth", () -> depths.of(name))
                .description("Messages waiting on a Vigil queue").tag("queue", name).register(registry));
        counter(registry, "vigil.messages", hl7, Hl7Ingest::getAccepted, "protocol", "hl7v2-mllp", "outcome", "accepted");
        counter(registry, "vigil.messages", hl7, Hl7Ingest::getRejected, "protocol", "hl7v2-mllp", "outcome", "rejected");
        counter(registry, "vigil.messages", hl7, Hl7Ingest::getStoreFailures, "protocol", "hl7v2-mllp", "outcome", "store-failed");
        counter(registry, "vigil.messages", mqtt, MqttIngest::getAccepted, "protocol", "mqtt", "outcome", "accepted");
        counter(registry, "vigil.messages", mqtt, MqttIngest::getQuarantined, "protocol", "mqtt", "outcome", "quarantined");
        counter(registry, "vigil.messages", vendors, VendorIngest::getPayloads, "protocol", "vendor", "outcome", "received");
        counter(registry, "vigil.messages", vendors, VendorIngest::getQuarantined, "protocol", "vendor", "outcome", "quarantined");
        counter(registry, "vigil.vendor.records.refused", vendors, VendorIngest::getRejectedRecords);
        counter(registry, "vigil.mllp.connections.refused", mllpConnections, MllpConnections::getRefused);
        counter(registry, "vigil.mllp.connections.closed.unanswered", mllpConnections, MllpConnections::getClosedUnanswered);
        Gauge.builder("vigil.mllp.connections.open", mllpConnections, MllpConnections::getOpen)
                .description("MLLP connections open now").register(registry);
        Gauge.builder("vigil.mllp.connections.held", mllpConnections, MllpConnections::getHeld)
                .description("MLLP connections not read now: their senders have not read vigil.mllp.max-unacknowledged "
                        + "ACKs").register(registry);
        counter(registry, "vigil.mllp.connections.holds", mllpConnections, MllpConnections::getHolds);
        counter(registry, "vigil.flow.control.waits", flowControl, FlowControlLog::getWaits);
        counter(registry, "vigil.delivery.backlog.waits", deliveryBacklog, DeliveryBacklog::getWaits);
        counter(registry, "vigil.vendor.values.ignored", vendors, VendorIngest::getIgnoredValues);
        counter(registry, "vigil.deliveries", ehr, EhrDelivery::getDelivered, "destination", "ehr", "outcome", "delivered");
        counter(registry, "vigil.deliveries", ehr, EhrDelivery::getFailedAttempts, "destination", "ehr", "outcome", "failed-attempt");
        counter(registry, "vigil.deliveries", research, ResearchDelivery::getDelivered, "destination", "research", "outcome", "delivered");
        for (Destinations.Destination d : destinations.all()) {
            for (String queue : java.util.List.of(d.queue(), d.deadLetterQueue())) {
                Gauge.builder("vigil.queue.depth", () -> depths.of(queue))
                        .description("Messages waiting on a Vigil queue").tag("queue", queue).register(registry);
            }
            counter(registry, "vigil.deliveries", d, Destinations.Destination::delivered, "destination", d.name(), "outcome", "delivered");
            counter(registry, "vigil.deliveries", d, Destinations.Destination::failedAttempts, "destination", d.name(), "outcome", "failed-attempt");
        }
        Gauge.builder("vigil.rules.patients", rules, RulesConsole::getPatientsTracked)
                .description("Patients whose state the clinical rules keep").register(registry);
        counter(registry, "vigil.rules.refused.reloads", rules, RulesConsole::getRefusedReloads);
    }

    private static <T> void counter(MeterRegistry registry, String name, T source,
                                    java.util.function.ToDoubleFunction<T> value, String... tags) {
        FunctionCounter.builder(name, source, value).tags(tags).register(registry);
    }

}
