package io.vigil.fhir;

import io.vigil.rules.AlertOutcome;
import io.vigil.rules.ClinicalOutcome;
import io.vigil.rules.News2Result;
import java.util.Date;
import java.util.TimeZone;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.CommunicationRequest;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.RiskAssessment;
import org.hl7.fhir.r4.model.StringType;

/** The FHIR form of what the clinical rules concluded: RiskAssessment, Flag and CommunicationRequest. */
final class ClinicalResources {

    static final String RISK_ASSESSMENT_ID = "urn:vigil:risk-assessment";
    static final String FLAG_ID = "urn:vigil:flag";
    static final String COMMUNICATION_ID = "urn:vigil:communication-request";
    static final String SCORE_SYSTEM = "urn:vigil:score";
    static final String BAND_SYSTEM = "urn:vigil:news2-band";
    static final String CAUSE_SYSTEM = "urn:vigil:alert-cause";
    static final String RULE_TAG = "urn:vigil:rule";
    static final String RULE_SET_TAG = "urn:vigil:rule-set";

    private ClinicalResources() {
    }

    /** Adds the outcome's resources; {@code key} is unique to the source message and patient. */
    static void add(Bundle bundle, ClinicalOutcome outcome, String subjectUrl, String key) {
        if (outcome.news2Changed()) {
            RiskAssessment risk = riskAssessment(outcome, subjectUrl);
            String id = BundleEntries.stableId(key + "|news2");
            risk.addIdentifier(new Identifier().setSystem(RISK_ASSESSMENT_ID).setValue(id));
            BundleEntries.conditionalCreate(bundle, risk, RISK_ASSESSMENT_ID, id);
        }
        for (AlertOutcome alert : outcome.raisedOrResolved()) {
            Flag flag = flag(alert, outcome, subjectUrl);
            String flagUrl = BundleEntries.conditionalUpdate(bundle, flag, FLAG_ID, alert.flagId());
            if (alert.kind() == AlertOutcome.Kind.RAISED && alert.alert().severity() >= 2) {
                CommunicationRequest request = communication(alert, outcome, subjectUrl, flagUrl);
                String id = BundleEntries.stableId(alert.flagId() + "|" + alert.since() + "|" + alert.alert().severity());
                request.addIdentifier(new Identifier().setSystem(COMMUNICATION_ID).setValue(id));
                BundleEntries.conditionalCreate(bundle, request, COMMUNICATION_ID, id);
            }
        }
    }

    private static RiskAssessment riskAssessment(ClinicalOutcome outcome, String subjectUrl) {
        News2Result news2 = outcome.news2();
        RiskAssessment risk = new RiskAssessment();
        tag(risk, "NEWS2", outcome.ruleSetVersion());
        risk.setStatus(RiskAssessment.RiskAssessmentStatus.FINAL);
        risk.setSubject(new Reference(subjectUrl));
        risk.setOccurrence(dateTime(outcome));
        risk.setMethod(new CodeableConcept().addCoding(new org.hl7.fhir.r4.model.Coding(SCORE_SYSTEM, "NEWS2",
                "National Early Warning Score 2 (RCP 2017)")));
        for (String observationId : outcome.basis()) {
            risk.addBasis(new Reference().setType("Observation")
                    .setIdentifier(new Identifier().setSystem(FhirSystems.OBSERVATION_ID).setValue(observationId)));
        }
        String subscores = news2.subscores().entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", "));
        RiskAssessment.RiskAssessmentPredictionComponent prediction = risk.addPrediction();
        prediction.setOutcome(new CodeableConcept().setText("Clinical deterioration"));
        prediction.setQualitativeRisk(new CodeableConcept().addCoding(new org.hl7.fhir.r4.model.Coding(BAND_SYSTEM,
                news2.band().code(), "NEWS2 " + news2.band().code() + " clinical risk")));
        prediction.setRationale("NEWS2 " + news2.total() + " (" + subscores + ")"
                + (news2.partial() ? "; partial, missing: " + String.join(", ", news2.missing()) : ""));
        risk.addNote().setText("Scored by rule set " + outcome.ruleSetVersion());
        return risk;
    }

    private static Flag flag(AlertOutcome alert, ClinicalOutcome outcome, String subjectUrl) {
        Flag flag = new Flag();
        tag(flag, alert.alert().rule(), outcome.ruleSetVersion());
        flag.addIdentifier(new Identifier().setSystem(FLAG_ID).setValue(alert.flagId()));
        boolean resolved = alert.kind() == AlertOutcome.Kind.RESOLVED;
        flag.setStatus(resolved ? Flag.FlagStatus.INACTIVE : Flag.FlagStatus.ACTIVE);
        flag.addCategory(new CodeableConcept().addCoding(new org.hl7.fhir.r4.model.Coding(
                "http://terminology.hl7.org/CodeSystem/flag-category", "clinical", "Clinical")));
        flag.setCode(new CodeableConcept().addCoding(new org.hl7.fhir.r4.model.Coding(CAUSE_SYSTEM,
                alert.alert().cause(), null)).setText(alert.alert().text()));
        flag.setSubject(new Reference(subjectUrl));
        Period period = new Period().setStart(Date.from(alert.since()));
        if (resolved) {
            period.setEnd(Date.from(outcome.at().toInstant()));
        }
        flag.setPeriod(period);
        return flag;
    }

    private static CommunicationRequest communication(AlertOutcome alert, ClinicalOutcome outcome, String subjectUrl,
                                                      String flagUrl) {
        CommunicationRequest request = new CommunicationRequest();
        tag(request, alert.alert().rule(), outcome.ruleSetVersion());
        request.setStatus(CommunicationRequest.CommunicationRequestStatus.ACTIVE);
        request.setPriority(alert.alert().severity() >= 3 ? CommunicationRequest.CommunicationPriority.STAT
                : CommunicationRequest.CommunicationPriority.URGENT);
        request.addCategory(new CodeableConcept().addCoding(new org.hl7.fhir.r4.model.Coding(
                "http://terminology.hl7.org/CodeSystem/communication-category", "alert", "Alert")));
        request.setSubject(new Reference(subjectUrl));
        request.addAbout(new Reference(flagUrl));
        request.addPayload().setContent(new StringType(alert.alert().text() + " (rule \"" + alert.alert().rule()
                + "\", rule set " + outcome.ruleSetVersion() + ")"));
        request.setAuthoredOn(Date.from(outcome.at().toInstant()));
        return request;
    }

    private static void tag(Resource resource, String rule, String ruleSetVersion) {
        resource.getMeta().addTag(RULE_TAG, rule, null);
        resource.getMeta().addTag(RULE_SET_TAG, ruleSetVersion, null);
    }

    private static DateTimeType dateTime(ClinicalOutcome outcome) {
        return new DateTimeType(Date.from(outcome.at().toInstant()),
                ca.uhn.fhir.model.api.TemporalPrecisionEnum.SECOND, TimeZone.getTimeZone(outcome.at().getOffset()));
    }
}
