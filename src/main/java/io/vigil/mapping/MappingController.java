package io.vigil.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.broker.QueueDepths;
import io.vigil.config.VigilProperties;
import io.vigil.delivery.Replay;
import io.vigil.ingest.VendorIngest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jmx.export.annotation.ManagedAttribute;
import org.springframework.jmx.export.annotation.ManagedOperation;
import org.springframework.jmx.export.annotation.ManagedOperationParameter;
import org.springframework.jmx.export.annotation.ManagedResource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The operator's and analyst's view of vendor mappings, over HTTP and JMX (Hawtio: io.vigil:type=Mappings):
 * what runs and what was refused, the mapping quarantine with its latest reasons, re-running it once a mapping
 * is fixed, and trying a mapping on a payload.
 */
@RestController
@ManagedResource(objectName = "io.vigil:type=Mappings", description = "Vendor mappings and their quarantine")
public class MappingController {

    private final VendorMappings mappings;
    private final MappingTester tester;
    private final VendorIngest ingest;
    private final Replay replay;
    private final QueueDepths depths;
    private final String quarantineQueue;

    MappingController(VendorMappings mappings, MappingTester tester, VendorIngest ingest, Replay replay,
                      QueueDepths depths, VigilProperties properties) {
        this.mappings = mappings;
        this.tester = tester;
        this.ingest = ingest;
        this.replay = replay;
        this.depths = depths;
        this.quarantineQueue = properties.queue().get("mapping-quarantine");
    }

    @GetMapping(value = "/api/mappings", produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> list() {
        VendorMappings.Snapshot s = mappings.snapshot();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("active", s.mappings().stream().map(m -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", m.name());
            row.put("file", m.file());
            row.put("version", m.version());
            row.put("description", m.description());
            row.put("match", m.match().text());
            return row;
        }).toList());
        out.put("refused", s.refused());
        out.put("codeMaps", s.codeMaps() == null ? List.of() : s.codeMaps().names());
        return out;
    }

    @PostMapping(value = "/api/mappings/reload", produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> reloadOverHttp() {
        mappings.reload();
        return list();
    }

    /**
     * POST /api/mappings/test?mapping=&patient=&device=: the body is the payload. With {@code envelope=true} the
     * body is {"payload": ..., "expected": {...}} and the result is also compared with the expected report.
     */
    @PostMapping(value = "/api/mappings/test", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Map<String, Object>> test(@RequestBody byte[] body,
                                             @RequestParam(required = false) String mapping,
                                             @RequestParam(required = false) String patient,
                                             @RequestParam(required = false) String device,
                                             @RequestParam(required = false, defaultValue = "false") boolean envelope)
            throws Exception {
        byte[] payload = body;
        JsonNode expected = null;
        if (envelope) {
            JsonNode e = MappingReport.JSON.readTree(body);
            JsonNode p = e.path("payload");
            payload = (p.isTextual() ? p.asText() : MappingReport.JSON.writeValueAsString(p)).getBytes(StandardCharsets.UTF_8);
            expected = e.hasNonNull("expected") ? e.get("expected") : null;
        }
        IngestContext context = new IngestContext("http", mapping != null ? mapping : "test", device, patient, Instant.now());
        MappingTester.Outcome outcome = tester.run(mappings.snapshot(), mappings, payload, context, expected);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("passed", outcome.passed(expected != null));
        out.put("result", outcome.report());
        if (outcome.refusal() != null) {
            out.put("refusal", outcome.refusal());
        }
        out.put("alsoMatched", outcome.alsoMatched());
        out.put("differences", outcome.differences());
        out.put("fhir", outcome.fhirBundle() == null ? null : MappingReport.JSON.readTree(outcome.fhirBundle()));
        return ResponseEntity.ok(out);
    }

    @GetMapping(value = "/api/quarantine", produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> quarantine() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("queue", quarantineQueue);
        out.put("waiting", depths.of(quarantineQueue));
        out.put("quarantinedSinceStart", ingest.getQuarantined());
        out.put("latest", ingest.latestQuarantined());
        return out;
    }

    /** POST /api/quarantine/rerun?filter=: maps the quarantined payloads again with the mappings now in force. */
    @PostMapping(value = "/api/quarantine/rerun", produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> rerunOverHttp(@RequestParam(required = false) String filter) throws Exception {
        return Map.of("queue", quarantineQueue, "rerun", rerun(filter));
    }

    @ManagedOperation(description = "Map the quarantined vendor payloads again (filter: Artemis filter, empty for all)")
    @ManagedOperationParameter(name = "filter", description = "e.g. VigilSource='withings'; empty: all")
    public int rerun(String filter) throws Exception {
        return replay.replay(quarantineQueue, filter);
    }

    @ManagedOperation(description = "Read mappings/vendors and the vendor code maps again")
    public String reload() {
        VendorMappings.Snapshot s = mappings.reload();
        return s.mappings().size() + " active, " + s.refused().size() + " refused";
    }

    @ManagedAttribute(description = "Active mappings as name@version")
    public String[] getActive() {
        return mappings.snapshot().mappings().stream().map(m -> m.name() + "@" + m.version()).toArray(String[]::new);
    }

    @ManagedAttribute(description = "Refused mapping files with file, line and reason")
    public String[] getRefused() {
        return mappings.snapshot().refused().values().toArray(String[]::new);
    }

    @ManagedAttribute(description = "Vendor payloads waiting in the mapping quarantine")
    public long getQuarantineWaiting() {
        return depths.of(quarantineQueue);
    }

    @ManagedAttribute(description = "Latest quarantine reasons, newest first")
    public String[] getLatestQuarantineReasons() {
        return ingest.getLatestReasons();
    }
}
