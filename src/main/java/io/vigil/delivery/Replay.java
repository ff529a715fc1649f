package io.vigil.delivery;

import io.vigil.config.VigilProperties;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.activemq.artemis.api.core.management.QueueControl;
import org.apache.activemq.artemis.api.core.management.ResourceNames;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jmx.export.annotation.ManagedOperation;
import org.springframework.jmx.export.annotation.ManagedOperationParameter;
import org.springframework.jmx.export.annotation.ManagedOperationParameters;
import org.springframework.jmx.export.annotation.ManagedResource;
import org.springframework.stereotype.Component;

/**
 * Sends waiting messages back into the flow once their cause is fixed: dead letters to their delivery queue,
 * held and governance-quarantined messages and processing failures to the rules again, vendor payloads of the
 * mapping quarantine to the mappings again. One message (by its
 * broker message id), those matching an Artemis filter (e.g. {@code VigilMessageControlId='abc'}), or all.
 */
@Component
@ManagedResource(objectName = "io.vigil:type=Replay", description = "Replay dead letters, held and quarantined messages")
public class Replay {

    private static final Logger LOG = LoggerFactory.getLogger(Replay.class);
    /** Device JSON refused at ingest sits in the same quarantine but cannot be re-read as a batch: left alone. */
    private static final String GOVERNANCE_QUARANTINE = "VigilOutcome='quarantine'";

    private final EmbeddedActiveMQ broker;
    private final Map<String, String> targets = new LinkedHashMap<>();

    public Replay(EmbeddedActiveMQ broker, VigilProperties properties, Destinations destinations) {
        this.broker = broker;
        Map<String, String> q = properties.queue();
        targets.put(q.get("delivery-dead-letter"), q.get("delivery"));
        targets.put(q.get("research-dead-letter"), q.get("research"));
        targets.put(q.get("processing-dead-letter"), q.get("observations"));
        targets.put(q.get("hold"), q.get("observations"));
        targets.put(q.get("quarantine"), q.get("observations"));
        targets.put(q.get("mapping-quarantine"), q.get("mapping-rerun"));
        destinations.all().forEach(d -> targets.put(d.deadLetterQueue(), d.queue()));
    }

    public Map<String, String> targets() {
        return Map.copyOf(targets);
    }

    /**
     * @param filter an Artemis filter expression over message headers, or empty for all
     * @return how many messages were moved back
     */
    @ManagedOperation(description = "Move messages of a dead-letter, hold or quarantine queue back into the flow")
    @ManagedOperationParameters({
        @ManagedOperationParameter(name = "queue", description = "e.g. vigil.delivery.ehr.DLQ"),
        @ManagedOperationParameter(name = "filter", description = "Artemis filter, e.g. VigilMessageControlId='abc'; empty: all")})
    public int replay(String queue, String filter) throws Exception {
        String target = targets.get(queue);
        if (target == null) {
            throw new IllegalArgumentException("queue " + queue + " cannot be replayed; replayable: " + targets.keySet());
        }
        String effective = filter == null || filter.isBlank() ? null : filter.strip();
        if (queue.equals(targets.keySet().stream().filter(k -> k.endsWith("quarantine")).findFirst().orElse(""))) {
            effective = effective == null ? GOVERNANCE_QUARANTINE : "(" + effective + ") AND " + GOVERNANCE_QUARANTINE;
        }
        QueueControl control = (QueueControl) broker.getActiveMQServer().getManagementService()
                .getResource(ResourceNames.QUEUE + queue);
        if (control == null) {
            return 0;
        }
        int moved = control.moveMessages(effective, target);
        LOG.info("Replayed {} message(s) from {} to {} (filter: {})", moved, queue, target, effective == null ? "all" : effective);
        return moved;
    }
}
