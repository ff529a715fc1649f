package io.vigil.governance;

import io.vigil.rules.PatientContexts;
import io.vigil.rules.RuleEngine;
import io.vigil.rules.RulesConsole;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** HTTP for the rules, the device registry, patient context and the audit trail. */
@RestController
class GovernanceController {

    private final RulesConsole rules;
    private final RuleEngine engine;
    private final DeviceRegistry devices;
    private final PatientContexts contexts;
    private final AuditTrail audit;

    GovernanceController(RulesConsole rules, RuleEngine engine, DeviceRegistry devices, PatientContexts contexts,
                         AuditTrail audit) {
        this.rules = rules;
        this.engine = engine;
        this.devices = devices;
        this.contexts = contexts;
        this.audit = audit;
    }

    @GetMapping(value = "/api/rules", produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> rules() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("version", rules.getVersion());
        out.put("ruleCount", rules.getRuleCount());
        out.put("files", rules.getFiles());
        out.put("refusedReloads", rules.getRefusedReloads());
        out.put("lastRefusal", rules.getLastRefusal());
        out.put("fireCounts", rules.getFireCounts());
        out.put("alertCounts", rules.getAlertCounts());
        out.put("patientsTracked", rules.getPatientsTracked());
        return out;
    }

    @PostMapping(value = "/api/rules/reload", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Map<String, Object>> reload() {
        boolean ok = engine.reload();
        Map<String, Object> out = Map.of("reloaded", ok, "version", engine.version(), "problems", engine.lastRefusal());
        return ok ? ResponseEntity.ok(out) : ResponseEntity.unprocessableEntity().body(out);
    }

    @GetMapping(value = "/api/devices", produces = MediaType.APPLICATION_JSON_VALUE)
    List<DeviceRegistry.Entry> devices() {
        return devices.list();
    }

    @PostMapping("/api/devices/{id}/approve")
    ResponseEntity<Void> approve(@PathVariable String id) {
        return devices.approve(id) ? ResponseEntity.noContent().build() : ResponseEntity.notFound().build();
    }

    /** Body: {"system": "...", "value": "...", "spo2Scale": 2, "onOxygen": true}. */
    @PutMapping(value = "/api/patients/context", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<String> context(@RequestBody Map<String, Object> body) {
        Object system = body.get("system");
        Object value = body.get("value");
        if (system == null || value == null) {
            return ResponseEntity.badRequest().body("system and value are required");
        }
        Integer scale = body.get("spo2Scale") instanceof Number n ? n.intValue() : null;
        Boolean oxygen = body.get("onOxygen") instanceof Boolean b ? b : null;
        try {
            contexts.put(system + "|" + value, new PatientContexts.Context(scale, oxygen));
        } catch (IllegalArgumentException e) {
            return ResponseEntity.badRequest().body(e.getMessage());
        }
        return ResponseEntity.noContent().build();
    }

    @GetMapping(value = "/api/audit", produces = MediaType.APPLICATION_JSON_VALUE)
    String audit(@RequestParam(defaultValue = "50") int limit) {
        return "[" + String.join(",", audit.latest(Math.max(1, Math.min(limit, 1000)))) + "]";
    }
}
