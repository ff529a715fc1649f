package io.vigil.rules;

import io.vigil.model.DeviceObservation;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Feeds a patient's new observations into their state and runs the clinical rules on the fresh values:
 * NEWS2 and qSOFA (rules/clinical), thresholds per ward, trends, then alarm-fatigue control.
 */
public final class ClinicalEvaluator {

    private static final String[] SCORED = {"respiration-rate", "spo2", "systolic-bp", "pulse", "temperature"};

    private final News2Scorer scorer;
    private final ClinicalParameters parameters;
    private final ClinicalSettings settings;
    private final PatientContexts contexts;
    private final PatientStates states;
    private final AlarmFatigue fatigue;

    public ClinicalEvaluator(RuleEngine engine, ClinicalParameters parameters, ClinicalSettings settings,
                             PatientContexts contexts) {
        this.scorer = new News2Scorer(engine, settings.singleThreeBand());
        this.parameters = parameters;
        this.settings = settings;
        this.contexts = contexts;
        this.states = new PatientStates(settings.maxPatients(), settings.idle());
        this.fatigue = new AlarmFatigue(settings.quietInterval());
    }

    /**
     * @param observations one patient's chartable observations of one message
     * @param observationId the identifier under which each observation is charted (for RiskAssessment.basis)
     */
    public ClinicalOutcome evaluate(String patientKey, String ward, List<DeviceObservation> observations,
                                    Function<DeviceObservation, String> observationId) {
        PatientState state = states.of(patientKey);
        synchronized (state) {
            OffsetDateTime newest = null;
            for (DeviceObservation obs : observations) {
                String parameter = parameters.parameterOf(obs.code().loinc()).orElse(null);
                if (parameter == null) {
                    continue;
                }
                state.record(parameter, obs.value().quantity(), obs.value().text(), obs.effective(),
                        observationId.apply(obs));
                newest = newest == null || obs.effective().isAfter(newest) ? obs.effective() : newest;
            }
            return score(patientKey, ward, state, newest);
        }
    }

    private ClinicalOutcome score(String patientKey, String ward, PatientState state, OffsetDateTime newest) {
        List<PatientState.Latest> basis = new ArrayList<>();
        List<Object> facts = new ArrayList<>();
        for (String parameter : SCORED) {
            PatientState.Latest v = fresh(state, parameter, basis);
            if (v != null && v.value() != null) {
                facts.add(new Reading(parameter, v.value().doubleValue(), ward));
            }
        }
        Integer drop = state.spo2Drop(settings.trendWindow());
        if (drop != null) {
            facts.add(new Spo2Trend(drop, settings.trendWindow().toMinutes()));
        }
        PatientContexts.Context context = contexts.of(patientKey).orElse(new PatientContexts.Context(null, null));
        News2Input input = new News2Input(
                whole(fresh(state, "respiration-rate", basis)), whole(fresh(state, "spo2", basis)),
                onOxygen(state, context, basis), whole(fresh(state, "systolic-bp", basis)),
                whole(fresh(state, "pulse", basis)), acvpu(fresh(state, "consciousness", basis)),
                tenths(fresh(state, "temperature", basis)),
                context.spo2Scale() != null ? context.spo2Scale() : settings.defaultSpo2Scale());
        News2Scorer.Scores scores = scorer.score(input, facts);
        News2Result news2 = scores.news2();
        News2Result previous = state.lastNews2();
        boolean changed = previous == null || previous.total() != news2.total() || previous.band() != news2.band()
                || !previous.missing().equals(news2.missing());
        if (changed) {
            state.lastNews2(news2); // an equal one kept: nothing of this message stays referenced (see PatientState)
        }

        List<Alert> alerts = new ArrayList<>(scores.evaluation().decisions().alerts());
        int severity = switch (news2.band()) {
            case LOW -> 0;
            case LOW_MEDIUM -> 1;
            case MEDIUM -> 2;
            case HIGH -> 3;
        };
        if (severity > 0) {
            alerts.add(new Alert("news2", severity, "NEWS2 band " + news2.band().code(),
                    "NEWS2 " + news2.total() + " (" + news2.band().code() + (news2.partial() ? ", partial" : "") + ")"));
        }
        if (scores.qsofa().points() >= 2) {
            alerts.add(new Alert("qsofa", 2, "qSOFA >= 2", "qSOFA " + scores.qsofa().points() + " " + scores.qsofa().criteria()));
        }
        OffsetDateTime at = newest != null ? newest : OffsetDateTime.now();
        List<AlertOutcome> outcomes = fatigue.apply(patientKey, state, alerts, at.toInstant());
        return new ClinicalOutcome(patientKey, news2, changed, scores.qsofa().points(), outcomes,
                changed ? observationIds(basis) : List.of(), at, scores.evaluation().ruleSetVersion());
    }

    /** The Observations' identifiers, each once, in the order the score used them (written only when it changed). */
    private static List<String> observationIds(List<PatientState.Latest> basis) {
        Set<String> ids = new LinkedHashSet<>();
        for (PatientState.Latest v : basis) {
            String id = v.observationId();
            if (id != null) {
                ids.add(id);
            }
        }
        return List.copyOf(ids);
    }

    private PatientState.Latest fresh(PatientState state, String parameter, List<PatientState.Latest> basis) {
        PatientState.Latest v = state.fresh(parameter, settings.freshness());
        if (v != null) {
            basis.add(v);
        }
        return v;
    }

    private Boolean onOxygen(PatientState state, PatientContexts.Context context, List<PatientState.Latest> basis) {
        PatientState.Latest flow = fresh(state, "oxygen-flow", basis);
        if (flow != null && flow.value() != null) {
            return flow.value().signum() > 0;
        }
        PatientState.Latest fio2 = fresh(state, "fio2", basis);
        if (fio2 != null && fio2.value() != null) {
            return fio2.value().compareTo(BigDecimal.valueOf(21)) > 0;
        }
        return context.onOxygen();
    }

    private static Integer whole(PatientState.Latest v) {
        return v == null ? null : News2Rounding.whole(v.value());
    }

    private static Integer tenths(PatientState.Latest v) {
        return v == null ? null : News2Rounding.tenths(v.value());
    }

    private static String acvpu(PatientState.Latest v) {
        if (v == null || v.text() == null) {
            return null;
        }
        String letter = v.text().strip().toUpperCase(Locale.ROOT);
        return letter.length() == 1 && "ACVPU".contains(letter) ? letter : null;
    }

    public Map<String, Long> alertCounts() {
        return fatigue.counts();
    }

    public int patientsTracked() {
        return states.size();
    }
}
