package io.vigil.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.fhir.FhirProcessing;
import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.charset.StandardCharsets;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ClientConsumer;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.jms.client.ActiveMQMessage;
import org.apache.activemq.artemis.jms.client.ActiveMQSession;
import org.apache.camel.CamelContext;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultMessage;
import org.springframework.jms.connection.SessionProxy;

/**
 * Bundles of one delivery transaction: the message the route took, and the further ones taken off the same queue
 * in the same JMS transaction within the batch window (one durable commit for all of them). Bundles of the same patients are merged into one FHIR
 * transaction (entries with the same fullUrl, i.e. the same Patient, Device or a resent Observation, kept once),
 * so the EHR sees fewer, larger requests. The JMS transaction commits only when every group was delivered; if the
 * route gives up, every member goes to the dead-letter queue (exchange property {@link #OTHERS}).
 */
final class DeliveryBatch {

    /** Exchange property: this batch, kept across the route's retries. */
    static final String PROPERTY = "vigilDeliveryBatch";
    /** Exchange property: the members other than the route's own message, as Camel messages, for the DLQ. */
    static final String OTHERS = "vigilBatchOthers";

    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * What a batch's consumer draws from the broker at once, per bundle the batch may take: a bundle of one PCD-01
     * message (about six observations) is about 3.3 KB, so a batch can be drawn in one go instead of the batch waiting
     * for the broker to refill the consumer's buffer, each refill a round trip through the broker's busy threads.
     * With 256 KiB for batches of 100 the delivery consumer carried about 3,000 bundles a second on 2 cores instead of
     * about 4,000 (docs/performance.md, change 19); with 4 KiB a bundle and batches of up to 400 it kept up with
     * 4,000 messages a second, where at 100 it held processing back (change 22).
     */
    static final int HELD_BYTES_PER_BUNDLE = 4096;
    /** Most a batch's consumer holds, whatever the batch size (vigil.ehr.batch.max-bundles). */
    static final int MOST_HELD_BYTES = 8 * 1024 * 1024;

    /** One member: its bundle (JSON as UTF-8 bytes) and its headers (control id, patients, device time ...). */
    record Member(byte[] bundle, Map<String, Object> headers) {

        /** The bundle as text, as the dead-letter queues keep bundles (readable in the console). */
        String text() {
            return new String(bundle, StandardCharsets.UTF_8);
        }

        String patients() {
            Object keys = headers.get(FhirProcessing.PATIENT_KEYS);
            return keys == null ? "" : keys.toString();
        }
    }

    /** Members of one patient (or one set of patients), merged into one transaction. */
    static final class Group {
        final List<Member> members = new ArrayList<>();
        boolean delivered;

        byte[] bundle() {
            return members.size() == 1 ? members.get(0).bundle() : merge(members);
        }
    }

    final List<Member> members;
    final List<Group> groups;

    private DeliveryBatch(List<Member> members) {
        this.members = members;
        Map<String, Group> byPatients = new LinkedHashMap<>();
        for (Member m : members) {
            byPatients.computeIfAbsent(m.patients(), k -> new Group()).members.add(m);
        }
        this.groups = new ArrayList<>(byPatients.values());
    }

    /**
     * Replaces the group at {@code index} (of more than one member) by its two halves, in order, for the next
     * attempt: the EHR ran out of time on it, and a smaller transaction may pass.
     */
    void split(int index) {
        Group whole = groups.get(index);
        int half = whole.members.size() / 2;
        Group first = new Group();
        Group second = new Group();
        first.members.addAll(whole.members.subList(0, half));
        second.members.addAll(whole.members.subList(half, whole.members.size()));
        groups.set(index, first);
        groups.add(index + 1, second);
    }

    /**
     * The route's own message plus up to {@code maxBundles - 1} more from {@code queue}, received on the route's
     * transacted session for at most {@code windowMillis} (0: only what is already waiting, so batches form from a
     * backlog and add no latency). The queue's own consumer takes one message at a time (window 0, BrokerAcceptors),
     * so what waits is within the batch's reach; the batch draws it with a consumer of its own that holds up to
     * {@link #heldBytes} at once instead of one broker round trip per bundle. What that consumer drew and the batch
     * did not take goes back to the queue, in order, when it closes; what the batch took is acknowledged in the
     * route's transaction. On a session that is not Artemis's, the route's message goes alone.
     */
    static DeliveryBatch take(Member first, Session session, String queue, int maxBundles, long windowMillis)
            throws JMSException {
        Session target = session instanceof SessionProxy proxy ? proxy.getTargetSession() : session;
        if (!(target instanceof ActiveMQSession artemis)) {
            return single(first);
        }
        List<Member> members = new ArrayList<>();
        members.add(first);
        long deadline = System.currentTimeMillis() + windowMillis;
        try (ClientConsumer consumer = artemis.getCoreSession()
                .createConsumer(SimpleString.of(queue), null, heldBytes(maxBundles), -1, false)) {
            while (members.size() < maxBundles) {
                long wait = deadline - System.currentTimeMillis();
                ClientMessage next = wait > 0 ? consumer.receive(wait) : consumer.receiveImmediate();
                if (next == null) {
                    break;
                }
                ActiveMQMessage message = ActiveMQMessage.createMessage(next, null);
                message.doBeforeReceive();
                next.acknowledge();
                members.add(member(message));
            }
        } catch (ActiveMQException e) {
            JMSException jms = new JMSException("taking further bundles from " + queue + ": " + e.getMessage());
            jms.initCause(e);
            throw jms;
        }
        return new DeliveryBatch(members);
    }

    /** Bytes a batch's consumer holds at once: enough for {@code maxBundles} bundles, up to {@link #MOST_HELD_BYTES}. */
    static int heldBytes(int maxBundles) {
        return (int) Math.min(MOST_HELD_BYTES, Math.max(64 * 1024L, (long) maxBundles * HELD_BYTES_PER_BUNDLE));
    }

    static DeliveryBatch single(Member only) {
        return of(List.of(only));
    }

    /** A batch of the given members, grouped per patient. */
    static DeliveryBatch of(List<Member> members) {
        return new DeliveryBatch(members);
    }

    private static Member member(jakarta.jms.Message message) throws JMSException {
        Map<String, Object> headers = new LinkedHashMap<>();
        Enumeration<?> names = message.getPropertyNames();
        while (names.hasMoreElements()) {
            String name = (String) names.nextElement();
            if (name.startsWith("Vigil")) {
                headers.put(name, message.getObjectProperty(name));
            }
        }
        byte[] body = message instanceof BytesMessage bytes ? bytes.getBody(byte[].class)
                : utf8(message instanceof TextMessage text ? text.getText() : message.getBody(String.class));
        return new Member(body, headers);
    }

    /**
     * A bundle's JSON as UTF-8 bytes from a delivery queue's message body: as processing stores it, or from text (an
     * edited message, one stored by an earlier version of Vigil). Delivery works on the bytes throughout (the fast
     * sink's check, the HTTP request, the outbox file), so a bundle is not copied into text and back.
     */
    static byte[] bundleBytes(Message in) {
        return in.getBody() instanceof byte[] bytes ? bytes : utf8(in.getBody(String.class));
    }

    private static byte[] utf8(String text) {
        return text == null ? new byte[0] : text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The members after the route's own message, as messages for the dead-letter queue: made when the route first
     * reads them (it does only when it gives up on the batch), not for every batch.
     */
    List<Message> others(CamelContext camel) {
        List<Member> rest = members.subList(1, members.size());
        return new AbstractList<>() {
            private List<Message> made;

            @Override
            public Message get(int index) {
                if (made == null) {
                    List<Message> out = new ArrayList<>(rest.size());
                    for (Member m : rest) {
                        DefaultMessage message = new DefaultMessage(camel);
                        message.setBody(m.text());
                        message.setHeaders(new LinkedHashMap<>(m.headers()));
                        out.add(message);
                    }
                    made = out;
                }
                return made.get(index);
            }

            @Override
            public int size() {
                return rest.size();
            }
        };
    }

    /** One transaction Bundle holding every entry of the given bundles once (by fullUrl, first kept). */
    static byte[] merge(List<Member> members) {
        try {
            ObjectNode merged = null;
            ArrayNode entries = null;
            Set<String> fullUrls = new HashSet<>();
            for (Member m : members) {
                JsonNode bundle = JSON.readTree(m.bundle());
                if (merged == null) {
                    merged = ((ObjectNode) bundle).deepCopy();
                    merged.remove("id");
                    entries = merged.putArray("entry");
                }
                for (JsonNode entry : bundle.path("entry")) {
                    String fullUrl = entry.path("fullUrl").asText("");
                    if (fullUrl.isEmpty() || fullUrls.add(fullUrl)) {
                        entries.add(entry);
                    }
                }
            }
            return JSON.writeValueAsBytes(merged);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("a bundle of the batch is not JSON: " + e.getOriginalMessage(), e);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
