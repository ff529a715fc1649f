package io.vigil.console;

import io.vigil.broker.DirectStore;
import io.vigil.broker.GroupCommit;
import io.vigil.broker.QueueDepths;
import io.vigil.config.VigilProperties;
import io.vigil.delivery.DeliveryBacklog;
import io.vigil.delivery.Destinations;
import io.vigil.delivery.EhrDelivery;
import io.vigil.delivery.Replay;
import io.vigil.ingest.Hl7Ingest;
import io.vigil.ingest.MqttIngest;
import io.vigil.ingest.VendorIngest;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** GET /api/status: listeners, destination, counters and the depth of every Vigil queue, for operators and scripts. */
@RestController
class StatusController {

    private final VigilProperties properties;
    private final QueueDepths depths;
    private final Hl7Ingest hl7;
    private final MqttIngest mqtt;
    private final EhrDelivery delivery;
    private final Replay replay;
    private final VendorIngest vendors;
    private final Destinations destinations;
    private final DeliveryBacklog backlog;
    private final GroupCommit groupCommit;
    private final DirectStore directStore;

    StatusController(VigilProperties properties, QueueDepths depths, Hl7Ingest hl7, MqttIngest mqtt,
                     EhrDelivery delivery, Replay replay, VendorIngest vendors, Destinations destinations,
                     DeliveryBacklog backlog, GroupCommit groupCommit, DirectStore directStore) {
        this.backlog = backlog;
        this.groupCommit = groupCommit;
        this.directStore = directStore;
        this.vendors = vendors;
        this.destinations = destinations;
        this.replay = replay;
        this.properties = properties;
        this.depths = depths;
        this.hl7 = hl7;
        this.mqtt = mqtt;
        this.delivery = delivery;
    }

    /** POST /api/replay/{queue}?filter=...: moves waiting messages back into the flow (see Replay). */
    @PostMapping(value = "/api/replay/{queue}", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Map<String, Object>> replay(@PathVariable String queue, @RequestParam(required = false) String filter)
            throws Exception {
        try {
            return ResponseEntity.ok(Map.of("queue", queue, "moved", replay.replay(queue, filter),
                    "to", replay.targets().get(queue)));
        } catch (IllegalArgumentException e) {
            return ResponseEntity.badRequest().body(Map.of("error", e.getMessage()));
        }
    }

    /**
     * POST /api/replay/{queue}/edit?controlId=...: edit-and-resend. The body replaces the waiting message's body;
     * the message goes where a replay would send it; the edit is audited with the user's name.
     */
    @PostMapping(value = "/api/replay/{queue}/edit", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Map<String, Object>> edit(@PathVariable String queue, @RequestParam String controlId,
                                             @org.springframework.web.bind.annotation.RequestBody String body,
                                             java.security.Principal user) {
        try {
            String target = replay.resendEdited(queue, controlId, body, user == null ? "unknown" : user.getName());
            return ResponseEntity.ok(Map.of("queue", queue, "controlId", controlId, "sentTo", target));
        } catch (IllegalArgumentException e) {
            return ResponseEntity.badRequest().body(Map.of("error", e.getMessage()));
        } catch (java.util.NoSuchElementException e) {
            return ResponseEntity.status(404).body(Map.of("error", e.getMessage()));
        }
    }

    @GetMapping(value = "/api/status", produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> status() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("listeners", Map.of(
                "mllp", properties.mllp().host() + ":" + properties.mllp().port(),
                "mqtt", properties.mqtt().host() + ":" + properties.mqtt().port(),
                "artemis", properties.artemis().host() + ":" + properties.artemis().port()));
        status.put("destination", delivery.getDestination());
        status.put("hl7", Map.of("accepted", hl7.getAccepted(), "rejected", hl7.getRejected(),
                "storeFailures", hl7.getStoreFailures(), "waveformRowsSkipped", hl7.getWaveformRowsSkipped()));
        status.put("mqtt", Map.of("accepted", mqtt.getAccepted(), "quarantined", mqtt.getQuarantined()));
        status.put("vendors", Map.of("payloads", vendors.getPayloads(), "observations", vendors.getObservations(),
                "quarantined", vendors.getQuarantined(), "refusedRecords", vendors.getRejectedRecords(),
                "ignoredValues", vendors.getIgnoredValues()));
        // MLLP messages stored by route dispatch-outcome's store: endpoints: straight into the broker's journal, and
        // (what that does not take) in shared broker transactions
        status.put("directStore", Map.of("messages", directStore.stored(), "passedToGroupCommit", directStore.passed()));
        status.put("groupCommit", Map.of("messages", groupCommit.messages(), "commits", groupCommit.commits(),
                "failedCommits", groupCommit.failedCommits()));
        status.put("deliveryBacklog", Map.of("limit", backlog.getLimit(), "holdingBack", backlog.isHoldingBack(),
                "waits", backlog.getWaits()));
        status.put("delivery", Map.of("delivered", delivery.getDelivered(), "failedAttempts", delivery.getFailedAttempts(),
                "transactions", delivery.getTransactions()));
        status.put("destinations", destinations.all().stream().map(d -> Map.of("name", d.name(), "baseUrl", d.baseUrl(),
                "delivered", d.delivered(), "failedAttempts", d.failedAttempts(), "queue", d.queue())).toList());
        Map<String, Long> queues = new LinkedHashMap<>();
        properties.queue().forEach((role, name) -> queues.put(name, depths.of(name)));
        destinations.all().forEach(d -> {
            queues.put(d.queue(), depths.of(d.queue()));
            queues.put(d.deadLetterQueue(), depths.of(d.deadLetterQueue()));
        });
        status.put("queues", queues);
        return status;
    }

}
