package io.vigil.fhir;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.vigil.console.Latencies;
import io.vigil.governance.AuditTrail;
import io.vigil.governance.GovernanceEvaluator;
import io.vigil.governance.GovernanceOutcome;
import io.vigil.governance.SafeHarbor;
import io.vigil.ingest.IngestHeaders;
import io.vigil.model.CanonicalJson;
import io.vigil.model.DeviceObservation;
import io.vigil.model.ObservationBatch;
import io.vigil.rules.AlertOutcome;
import io.vigil.rules.ClinicalEvaluator;
import io.vigil.rules.ClinicalOutcome;
import io.vigil.rules.GovernanceDecisions.Decision;
import io.vigil.rules.RuleEngine;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;

/**
 * The processing step: governance rules first (quarantine, hold for association, values not to chart), then the
 * clinical rules per patient, then the transaction Bundle and the alerts to publish. Route build-fhir calls
 * {@link #process} on the canonical JSON it took from the observations queue; routes ingest-hl7 and ingest-mqtt call
 * {@link #processReceived} on the batch they have just read, so that a message is stored once, as what comes of it
 * (before its MLLP ACK; in the transaction that takes an MQTT payload from the inbox). Route dispatch-outcome then sends the result where its outcome says.
 */
public class FhirProcessing {

    /**
     * Header set to "deliver" (the body is then the transaction Bundle's JSON as UTF-8 bytes), "hold", "quarantine",
     * "empty", or by {@link #processReceived} "failed".
     */
    public static final String OUTCOME = "VigilOutcome";
    /** Exchange property: the ObservationBatch read by an ingest route, for {@link #processReceived}. */
    public static final String BATCH = "vigilBatch";
    /** Exchange property: the failure's exception class, for the log (the reason may quote values: it stays on the queue). */
    public static final String FAILURE_TYPE = "vigilFailureType";
    /** Exchange property: the alerts raised or resolved, as JSON, for the alert topic. */
    public static final String ALERTS = "vigilAlerts";
    public static final String PATIENT_KEYS = "VigilPatientKeys";
    /** Exchange property: the de-identified bundle for the research destination, when one is configured. */
    public static final String RESEARCH_BUNDLE = "vigilResearchBundle";

    private final FhirBundleBuilder builder;
    private final GovernanceEvaluator governance;
    private final ClinicalEvaluator clinical;
    private final RuleEngine rules;
    private final AuditTrail audit;
    private final boolean productionDestination;
    private final SafeHarbor research;
    private final String researchPurpose;
    private Latencies latencies;

    /** @param research de-identification for the research destination, null when there is none */
    public FhirProcessing(FhirBundleBuilder builder, GovernanceEvaluator governance, ClinicalEvaluator clinical,
                          RuleEngine rules, AuditTrail audit, boolean productionDestination, SafeHarbor research,
                          String researchPurpose) {
        this.research = research;
        this.researchPurpose = researchPurpose;
        this.builder = builder;
        this.governance = governance;
        this.clinical = clinical;
        this.rules = rules;
        this.audit = audit;
        this.productionDestination = productionDestination;
    }

    /** Records device-to-alert latency there, and carries the device time to delivery (header Latencies.DEVICE_TIME). */
    public void measureLatency(Latencies latencies) {
        this.latencies = latencies;
    }

    /** Body: canonical JSON of one batch, kept as the body when the outcome is not "deliver". */
    public void process(Exchange exchange) throws JsonProcessingException {
        apply(exchange, CanonicalJson.MAPPER.readValue(exchange.getIn().getBody(String.class), ObservationBatch.class));
    }

    /**
     * Property {@link #BATCH}: a batch not stored yet. The body becomes the bundle, or the canonical JSON of the batch
     * when it is to be held, quarantined or dead-lettered. Turning a message into FHIR is deterministic, so a failure
     * is not thrown back at the sender (who would send the same message again): the outcome is "failed", with the
     * reason in header {@link IngestHeaders#FAILURE_REASON}, and the batch goes to the processing dead-letter queue.
     */
    public void processReceived(Exchange exchange) throws JsonProcessingException {
        ObservationBatch batch = exchange.getProperty(BATCH, ObservationBatch.class);
        try {
            apply(exchange, batch);
        } catch (Exception e) {
            exchange.removeProperty(ALERTS);
            exchange.removeProperty(RESEARCH_BUNDLE);
            exchange.getIn().setHeader(OUTCOME, "failed");
            exchange.getIn().setHeader(IngestHeaders.FAILURE_REASON, "VIGIL-PRC-001 " + e.getClass().getSimpleName() + ": " + e.getMessage());
            exchange.setProperty(FAILURE_TYPE, e.getClass().getSimpleName());
        }
        if (!"deliver".equals(exchange.getIn().getHeader(OUTCOME))) {
            exchange.getIn().setBody(CanonicalJson.MAPPER.writeValueAsString(batch));
        }
    }

    private void apply(Exchange exchange, ObservationBatch batch) throws JsonProcessingException {
        MessageDecision decision = decide(batch);
        exchange.getIn().setHeader(OUTCOME, decision.outcome());
        switch (decision.outcome()) {
            case "quarantine" -> exchange.getIn().setHeader(IngestHeaders.QUARANTINE_REASON, decision.reason());
            case "hold" -> exchange.getIn().setHeader(IngestHeaders.HOLD_REASON, decision.reason());
            case "deliver" -> {
                // UTF-8 bytes: the delivery queues keep the bundle as a bytes message, half the size of a text one
                exchange.getIn().setBody(builder.toUtf8(decision.bundle()));
                exchange.getIn().setHeader(PATIENT_KEYS, String.join("\n", decision.patientKeys()));
                exchange.getIn().setHeader(IngestHeaders.OBSERVATION_COUNT, batch.observations().size());
                List<String> alerts = alertMessages(decision.clinical(), batch.observations());
                if (!alerts.isEmpty()) { // most messages raise none: the route then skips its split (and its copy)
                    exchange.setProperty(ALERTS, alerts);
                }
                Long deviceTime = newestDeviceTime(batch.observations());
                exchange.getIn().setHeader(Latencies.DEVICE_TIME, deviceTime);
                if (latencies != null && decision.clinical().stream().anyMatch(c -> c.raisedOrResolved().stream()
                        .anyMatch(a -> a.kind() == AlertOutcome.Kind.RAISED))) {
                    latencies.alerted(deviceTime);
                }
                if (research != null) {
                    exchange.setProperty(RESEARCH_BUNDLE, builder.toJson(
                            builder.buildDeidentified(research.deidentify(batch), rules.version(), researchPurpose)));
                }
            }
            default -> { }
        }
    }

    /** Governance rules, then clinical rules per patient, then the bundle. */
    public MessageDecision decide(ObservationBatch batch) {
        if (batch.observations().isEmpty()) {
            return new MessageDecision("empty", null, null, List.of(), null, List.of());
        }
        GovernanceOutcome decided = governance.evaluate(batch, productionDestination);
        List<String> patientKeys = batch.observations().stream().filter(o -> o.patient() != null && o.patient().resolved())
                .map(o -> FhirBundleBuilder.patientKey(o.patient())).distinct().toList();
        if (decided.quarantined()) {
            Decision first = decided.quarantines().get(0);
            String reason = first.code() + " " + first.reason() + " (rule \"" + first.rule() + "\", rule set "
                    + decided.ruleSetVersion() + ")";
            audit.quarantined(reason, patientKeys, batch.source().messageId());
            return new MessageDecision("quarantine", reason, decided, List.of(), null, patientKeys);
        }
        if (decided.held()) {
            Decision first = decided.holds().get(0);
            return new MessageDecision("hold", first.code() + " " + first.reason(), decided, List.of(), null, patientKeys);
        }
        Map<DeviceObservation, String> ids = FhirBundleBuilder.observationIds(batch, decided.excluded().keySet());
        Map<String, List<DeviceObservation>> byPatient = new LinkedHashMap<>();
        List<DeviceObservation> observations = batch.observations();
        for (int i = 0; i < observations.size(); i++) {
            DeviceObservation obs = observations.get(i);
            if (!decided.excluded().containsKey(i) && !obs.testData()) {
                byPatient.computeIfAbsent(FhirBundleBuilder.patientKey(obs.patient()), k -> new ArrayList<>()).add(obs);
            }
        }
        List<ClinicalOutcome> outcomes = new ArrayList<>();
        byPatient.forEach((patient, values) -> outcomes.add(clinical.evaluate(patient, ward(values), values, ids::get)));
        return new MessageDecision("deliver", null, decided, outcomes,
                builder.build(batch, decided.excluded(), outcomes, rules.version(), ids), patientKeys);
    }

    private static Long newestDeviceTime(List<DeviceObservation> observations) {
        long newest = 0;
        for (DeviceObservation o : observations) {
            if (o.effective() != null) {
                newest = Math.max(newest, o.effective().toInstant().toEpochMilli());
            }
        }
        return newest == 0 ? null : newest;
    }

    private static String ward(List<DeviceObservation> values) {
        return values.stream().map(DeviceObservation::location).filter(l -> l != null && l.unit() != null)
                .map(l -> l.unit()).findFirst().orElse("");
    }


    private static List<String> alertMessages(List<ClinicalOutcome> outcomes, List<DeviceObservation> observations)
            throws JsonProcessingException {
        List<String> messages = new ArrayList<>();
        for (ClinicalOutcome outcome : outcomes) {
            DeviceObservation sample = observations.stream()
                    .filter(o -> FhirBundleBuilder.patientKey(o.patient()).equals(outcome.patientKey())).findFirst().orElse(null);
            for (AlertOutcome alert : outcome.raisedOrResolved()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("patient", outcome.patientKey());
                m.put("location", sample == null ? null : sample.location());
                m.put("cause", alert.alert().cause());
                m.put("severity", alert.alert().severity());
                m.put("outcome", alert.kind().name().toLowerCase());
                m.put("text", alert.alert().text());
                m.put("rule", alert.alert().rule());
                m.put("ruleSetVersion", outcome.ruleSetVersion());
                m.put("flag", alert.flagId());
                m.put("at", outcome.at().toString());
                m.put("news2", Map.of("total", outcome.news2().total(), "band", outcome.news2().band().code(),
                        "partial", outcome.news2().partial()));
                messages.add(CanonicalJson.MAPPER.writeValueAsString(m));
            }
        }
        return messages;
    }
}
