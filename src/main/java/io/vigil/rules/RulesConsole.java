package io.vigil.rules;

import java.util.List;
import java.util.Map;
import org.springframework.jmx.export.annotation.ManagedAttribute;
import org.springframework.jmx.export.annotation.ManagedOperation;
import org.springframework.jmx.export.annotation.ManagedResource;
import org.springframework.stereotype.Component;

/** The rule set as operators see it in Hawtio (JMX io.vigil:type=Rules). */
@Component
@ManagedResource(objectName = "io.vigil:type=Rules", description = "Drools rule set of rules/")
public class RulesConsole {

    private final RuleEngine engine;
    private final ClinicalEvaluator clinical;

    public RulesConsole(RuleEngine engine, ClinicalEvaluator clinical) {
        this.engine = engine;
        this.clinical = clinical;
    }

    @ManagedAttribute(description = "Version of the active rule set (hash of its files)")
    public String getVersion() {
        return engine.version();
    }

    @ManagedAttribute(description = "Rules in the active set")
    public int getRuleCount() {
        return engine.ruleCount();
    }

    @ManagedAttribute(description = "Files of the active set")
    public List<String> getFiles() {
        return engine.files();
    }

    @ManagedAttribute(description = "Times each rule fired since start")
    public Map<String, Long> getFireCounts() {
        return engine.fireCounts();
    }

    @ManagedAttribute(description = "Alerts by cause and outcome (raised, suppressed, resolved)")
    public Map<String, Long> getAlertCounts() {
        return clinical.alertCounts();
    }

    @ManagedAttribute(description = "Patients whose state the clinical rules keep")
    public int getPatientsTracked() {
        return clinical.patientsTracked();
    }

    @ManagedAttribute(description = "Reloads refused because the new set did not build")
    public long getRefusedReloads() {
        return engine.refusedReloads();
    }

    @ManagedAttribute(description = "Why the last reload was refused (file:line: message)")
    public List<String> getLastRefusal() {
        return engine.lastRefusal();
    }

    @ManagedOperation(description = "Rebuild the rule set from rules/ now")
    public boolean reload() {
        return engine.reload();
    }
}
