package io.vigil.delivery;

import ca.uhn.fhir.context.FhirContext;
import io.vigil.config.VigilProperties;
import io.vigil.governance.AuditTrail;
import jakarta.jms.BytesMessage;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.TextMessage;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.activemq.artemis.api.core.management.QueueControl;
import org.apache.activemq.artemis.api.core.management.ResourceNames;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jms.core.JmsTemplate;
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

    private final JmsTemplate jms;
    private final FhirContext fhir;
    private final AuditTrail audit;
    private final Set<String> bundleQueues = new java.util.HashSet<>();
    private final String mappingQuarantine;

    public Replay(EmbeddedActiveMQ broker, VigilProperties properties, Destinations destinations,
                  ConnectionFactory connectionFactory, FhirContext fhir, AuditTrail audit) {
        this.broker = broker;
        this.fhir = fhir;
        this.audit = audit;
        this.jms = new JmsTemplate(connectionFactory);
        this.jms.setSessionTransacted(true);
        this.mappingQuarantine = properties.queue().get("mapping-quarantine");
        Map<String, String> q = properties.queue();
        targets.put(q.get("delivery-dead-letter"), q.get("delivery"));
        targets.put(q.get("research-dead-letter"), q.get("research"));
        targets.put(q.get("processing-dead-letter"), q.get("observations"));
        targets.put(q.get("hold"), q.get("observations"));
        targets.put(q.get("quarantine"), q.get("observations"));
        targets.put(q.get("mapping-quarantine"), q.get("mapping-rerun"));
        destinations.all().forEach(d -> targets.put(d.deadLetterQueue(), d.queue()));
        bundleQueues.add(q.get("delivery-dead-letter"));
        bundleQueues.add(q.get("research-dead-letter"));
        destinations.all().forEach(d -> bundleQueues.add(d.deadLetterQueue()));
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

    /**
     * Edit-and-resend: takes the message with this control id off a dead-letter, hold or quarantine queue and sends
     * the corrected body where {@link #replay} would, in one transaction, keeping its headers; audited with the
     * user and the hashes of both bodies. A FHIR bundle must still parse as a Bundle, canonical observations as a
     * batch.
     *
     * @return the queue the corrected message went to
     * @throws IllegalArgumentException when the queue cannot be replayed or the body is not what that queue holds
     * @throws java.util.NoSuchElementException when no message with that control id waits there
     */
    public String resendEdited(String queue, String controlId, String body, String user) {
        String target = targets.get(queue);
        if (target == null) {
            throw new IllegalArgumentException("queue " + queue + " cannot be replayed; replayable: " + targets.keySet());
        }
        if (bundleQueues.contains(queue)) {
            try {
                fhir.newJsonParser().parseResource(org.hl7.fhir.r4.model.Bundle.class, body);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("the edited body is not a FHIR R4 Bundle: " + e.getMessage());
            }
        } else if (!queue.equals(mappingQuarantine)) {
            try {
                io.vigil.model.CanonicalJson.MAPPER.readValue(body, io.vigil.model.ObservationBatch.class);
            } catch (Exception e) {
                throw new IllegalArgumentException("the edited body is not a batch of canonical observations: " + e.getMessage());
            }
        }
        String selector = "VigilMessageControlId = '" + controlId.replace("'", "''") + "'";
        String[] before = new String[1];
        Boolean found = jms.execute(session -> {
            try (MessageConsumer consumer = session.createConsumer(session.createQueue(queue), selector)) {
                Message original = consumer.receive(2000);
                if (original == null) {
                    return false;
                }
                Message edited;
                if (original instanceof BytesMessage bytes) {
                    byte[] old = new byte[(int) bytes.getBodyLength()];
                    bytes.readBytes(old);
                    before[0] = io.vigil.ingest.Hashes.sha256(old);
                    BytesMessage next = session.createBytesMessage();
                    next.writeBytes(body.getBytes(StandardCharsets.UTF_8));
                    edited = next;
                } else {
                    before[0] = io.vigil.ingest.Hashes.sha256(((TextMessage) original).getText().getBytes(StandardCharsets.UTF_8));
                    edited = session.createTextMessage(body);
                }
                for (Object name : Collections.list(original.getPropertyNames())) {
                    String n = (String) name;
                    if (n.startsWith("Vigil")) {
                        edited.setObjectProperty(n, original.getObjectProperty(n));
                    }
                }
                edited.setStringProperty("VigilEditedBy", user);
                edited.setStringProperty("VigilEditedAt", java.time.Instant.now().toString());
                try (MessageProducer producer = session.createProducer(session.createQueue(target))) {
                    producer.send(edited);
                }
                session.commit();
                return true;
            }
        }, true);
        if (!Boolean.TRUE.equals(found)) {
            throw new java.util.NoSuchElementException("no message with control id " + controlId + " waits on " + queue);
        }
        String after = io.vigil.ingest.Hashes.sha256(body.getBytes(StandardCharsets.UTF_8));
        audit.edited(user, queue, target, controlId, before[0], after);
        LOG.info("Message {} edited on {} by {} and sent to {} (sha256 {} -> {})", controlId, queue, user, target,
                io.vigil.ingest.Hashes.shortForm(before[0]), io.vigil.ingest.Hashes.shortForm(after));
        return target;
    }

    @ManagedOperation(description = "Edit-and-resend: replace the body of the message with this control id and send it on")
    @ManagedOperationParameters({
        @ManagedOperationParameter(name = "queue", description = "e.g. vigil.delivery.ehr.DLQ"),
        @ManagedOperationParameter(name = "controlId", description = "VigilMessageControlId of the message"),
        @ManagedOperationParameter(name = "body", description = "the corrected body (FHIR Bundle JSON, batch JSON or payload)")})
    public String resendEdited(String queue, String controlId, String body) {
        return resendEdited(queue, controlId, body, "jmx");
    }
}
