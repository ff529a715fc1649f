package io.vigil.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import io.vigil.model.DeviceInfo;
import io.vigil.model.DeviceObservation;
import io.vigil.model.ObservationBatch;
import io.vigil.model.ObservationCode;
import io.vigil.model.ObservationValue;
import io.vigil.model.PatientRef;
import io.vigil.normalize.CodeEntry;
import io.vigil.normalize.Terminology;
import io.vigil.rules.ClinicalOutcome;
import io.vigil.rules.GovernanceDecisions.Decision;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Collections;
import java.util.Date;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TimeZone;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.Element;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Meta;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;

/**
 * Builds one FHIR R4 transaction Bundle per source message: the Patient and Device by identifier, the
 * Observations (vital-signs profiles; blood pressure as one 85354-9 panel), what the clinical rules concluded
 * (RiskAssessment, Flag, CommunicationRequest) and a Provenance. Every entry is a conditional create or update
 * on a stable identifier, so a resent message changes nothing; fullUrls derive from those identifiers, so the
 * same input always gives the same Bundle.
 * <p>
 * What every bundle repeats is made once and shared by the observations of all of them: an observation's code (per
 * code as extracted; the code map is loaded once), the vital-signs category and the profile claims. Those elements
 * carry their JSON ({@link FhirJson#fixed}), which the writer copies instead of writing them again; they are never
 * changed once made (an observation that needs other meta gets its own).
 */
public final class FhirBundleBuilder {

    private static final String DATA_ABSENT = "http://terminology.hl7.org/CodeSystem/data-absent-reason";

    /** Shared codes and profile claims kept at most: far more than the code map has rows. */
    private static final int MOST_SHARED = 4096;

    private static final CodeableConcept VITAL_SIGNS = FhirJson.fixed(vitalSignsCategory());

    private final FhirContext fhir;
    private final Terminology terminology;
    private final Map<ObservationCode, CodeableConcept> codes = new ConcurrentHashMap<>();
    private final Map<String, Meta> profiles = new ConcurrentHashMap<>();

    public FhirBundleBuilder(FhirContext fhir, Terminology terminology) {
        // every reference of Vigil's bundles is a fullUrl or an identifier, never a resource object without an id:
        // skip the parser's search for such targets to contain (a walk of every element of every resource)
        fhir.getParserOptions().setAutoContainReferenceTargetsWithNoId(false);
        this.fhir = fhir;
        this.terminology = terminology;
    }

    /** The bundle's JSON: Vigil's own writer (FhirJson), HAPI's parser for what that leaves to it. */
    public String toJson(Bundle bundle) {
        String json = FhirJson.write(bundle);
        return json != null ? json : hapiJson(bundle);
    }

    /**
     * The bundle's JSON as UTF-8, as the delivery queues store it: half the bytes of a text message (which the broker
     * keeps as UTF-16) in every copy and in the journal.
     */
    public byte[] toUtf8(Bundle bundle) {
        byte[] json = FhirJson.utf8(bundle);
        return json != null ? json : hapiJson(bundle).getBytes(StandardCharsets.UTF_8);
    }

    /** The bundle as HAPI's JSON parser writes it: the reference for {@link #toJson}. */
    public String hapiJson(Bundle bundle) {
        return fhir.newJsonParser().encodeResourceToString(bundle);
    }

    /** The bundle of a batch with no governance exclusions and no clinical conclusions. */
    public Bundle build(ObservationBatch batch, String ruleSetVersion) {
        return build(batch, Map.of(), List.of(), ruleSetVersion);
    }

    /**
     * @param excluded observations (by position) charted without a value, with the governance reason
     * @param clinical the clinical rules' conclusions per patient of the batch
     */
    public Bundle build(ObservationBatch batch, Map<Integer, Decision> excluded, List<ClinicalOutcome> clinical,
                        String ruleSetVersion) {
        return build(batch, excluded, clinical, ruleSetVersion, null, null);
    }

    /**
     * The same, with the observations' identifiers as {@link #observationIds} gave them for this batch and these
     * exclusions (the clinical rules needed them first): they are not derived a second time.
     */
    public Bundle build(ObservationBatch batch, Map<Integer, Decision> excluded, List<ClinicalOutcome> clinical,
                        String ruleSetVersion, Map<DeviceObservation, String> observationIds) {
        return build(batch, excluded, clinical, ruleSetVersion, null, observationIds);
    }

    /**
     * The bundle for a non-treatment destination, from a batch already de-identified (SafeHarbor): dates to the
     * year, hence no vital-signs profile claims (they require the day), and a Provenance without source details.
     */
    public Bundle buildDeidentified(ObservationBatch deidentified, String ruleSetVersion, String purposeOfUse) {
        return build(deidentified, Map.of(), List.of(), ruleSetVersion, purposeOfUse, null);
    }

    private Bundle build(ObservationBatch batch, Map<Integer, Decision> excluded, List<ClinicalOutcome> clinical,
                         String ruleSetVersion, String deidentifiedFor, Map<DeviceObservation, String> observationIds) {
        boolean deidentified = deidentifiedFor != null;
        Bundle bundle = new Bundle();
        bundle.setType(Bundle.BundleType.TRANSACTION);
        List<DeviceObservation> observations = batch.observations();
        Map<DeviceObservation, Decision> excludedObs = new IdentityHashMap<>();
        excluded.forEach((index, decision) -> excludedObs.put(observations.get(index), decision));
        Set<DeviceObservation> excludedSet = Collections.newSetFromMap(new IdentityHashMap<>());
        excludedSet.addAll(excludedObs.keySet());

        Map<String, String> patients = new LinkedHashMap<>();
        Map<String, String> devices = new LinkedHashMap<>();
        for (DeviceObservation obs : observations) {
            patients.computeIfAbsent(patientKey(obs.patient()), k -> addPatient(bundle, obs.patient()));
            if (obs.device().id() != null) {
                devices.computeIfAbsent(obs.device().id(), k -> addDevice(bundle, obs.device()));
            }
        }
        Map<DeviceObservation, String> ids = observationIds != null ? observationIds : ObservationIds.of(observations, excludedSet);
        // the observations of a message mostly share one time: its FHIR form is made once and the element shared
        OffsetDateTime effectiveOf = null;
        DateTimeType effective = null;
        for (List<DeviceObservation> group : BloodPressureGrouping.group(observations, excludedSet)) {
            DeviceObservation first = group.get(0);
            Observation observation = BloodPressureGrouping.isCompletePanel(group)
                    ? panel(group, ids.get(first)) : single(first, ids.get(first), excludedObs.get(first));
            if (deidentified) {
                if (observation.hasMeta()) { // the profile claims go; the shared meta that holds them stays as it is
                    Meta meta = observation.getMeta().copy();
                    meta.getProfile().clear();
                    observation.setMeta(meta);
                }
                observation.setEffective(new DateTimeType(Date.from(first.effective().toInstant()), TemporalPrecisionEnum.YEAR,
                        TimeZone.getTimeZone(first.effective().getOffset())));
            } else {
                if (!first.effective().equals(effectiveOf)) {
                    effectiveOf = first.effective();
                    effective = dateTime(effectiveOf);
                }
                observation.setEffective(effective);
            }
            observation.setSubject(new Reference(patients.get(patientKey(first.patient()))));
            if (first.device().id() != null) {
                observation.setDevice(new Reference(devices.get(first.device().id())));
            }
            BundleEntries.conditionalCreate(bundle, observation, FhirSystems.OBSERVATION_ID, ids.get(first));
        }
        String batchKey = batch.source().protocol() + "|" + batch.source().sender() + "|" + batch.source().messageControlId();
        for (ClinicalOutcome outcome : clinical) {
            ClinicalResources.add(bundle, outcome, patients.get(outcome.patientKey()), batchKey + "|" + outcome.patientKey());
        }
        if (deidentified) {
            ProvenanceResource.addDeidentified(bundle, batch, terminology.version(), ruleSetVersion, deidentifiedFor);
        } else {
            String deviceUrl = devices.isEmpty() ? null : devices.values().iterator().next();
            ProvenanceResource.add(bundle, batch, deviceUrl, terminology.version(), ruleSetVersion);
        }
        return bundle;
    }

    /** The identifiers the observations of a batch are charted under (see {@link ObservationIds}). */
    public static Map<DeviceObservation, String> observationIds(ObservationBatch batch, Set<Integer> excluded) {
        Set<DeviceObservation> set = Collections.newSetFromMap(new IdentityHashMap<>());
        excluded.forEach(i -> set.add(batch.observations().get(i)));
        return ObservationIds.of(batch.observations(), set);
    }

    private Observation single(DeviceObservation obs, String id, Decision excluded) {
        Observation o = base(obs, id);
        o.setCode(code(obs));
        ObservationValue v = obs.value();
        if (excluded != null) {
            o.setDataAbsentReason(new CodeableConcept().addCoding(new org.hl7.fhir.r4.model.Coding(DATA_ABSENT, "error", "Error")));
            o.addNote().setText(excluded.code() + " value not charted: " + excluded.reason());
        } else if (v.hasQuantity()) {
            o.setValue(quantity(v));
        } else if (v.text() != null) {
            o.setValue(new StringType(v.text()));
        }
        if (excluded == null && obs.alarmLimits() != null && v.hasQuantity()) {
            Observation.ObservationReferenceRangeComponent range = o.addReferenceRange();
            range.setText("device alarm limits");
            if (obs.alarmLimits().low() != null) {
                range.setLow(quantity(ObservationValue.quantity(obs.alarmLimits().low(), v.ucum(), v.unitAsSent())));
            }
            if (obs.alarmLimits().high() != null) {
                range.setHigh(quantity(ObservationValue.quantity(obs.alarmLimits().high(), v.ucum(), v.unitAsSent())));
            }
        }
        String profile = entry(obs).map(e -> VitalSignProfiles.urlFor(e.vitalProfile(), v.ucum())).orElse(null);
        if (profile != null && obs.code().loinc() != null) {
            claim(o, profile);
            o.addCategory(VITAL_SIGNS);
        }
        return o;
    }

    private Observation panel(List<DeviceObservation> group, String id) {
        DeviceObservation first = group.get(0);
        Observation o = base(first, id);
        CodeableConcept code = new CodeableConcept();
        code.addCoding().setSystem(FhirSystems.LOINC).setCode("85354-9")
                .setDisplay("Blood pressure panel with all children optional");
        code.addCoding().setSystem(FhirSystems.MDC).setCode("150020").setDisplay("MDC_PRESS_BLD_NONINV");
        code.setText("Blood pressure");
        o.setCode(code);
        boolean allMmHg = true;
        for (String role : List.of("systolic", "diastolic", "mean")) {
            for (DeviceObservation member : group) {
                if (role.equals(member.panelRole())) {
                    o.addComponent().setCode(code(member)).setValue(quantity(member.value()));
                    allMmHg &= "mm[Hg]".equals(member.value().ucum());
                }
            }
        }
        if (allMmHg) {
            claim(o, VitalSignProfiles.BASE + "bp");
            o.addCategory(VITAL_SIGNS);
        }
        return o;
    }

    private Observation base(DeviceObservation obs, String id) {
        Observation o = new Observation();
        o.addIdentifier().setSystem(FhirSystems.OBSERVATION_ID).setValue(id);
        o.setStatus(Observation.ObservationStatus.fromCode(obs.status()));
        if (obs.testData()) {
            o.getMeta().addSecurity(FhirSystems.ACT_REASON, "HTEST", "test health data");
        }
        if (obs.flags().contains("MANUAL")) {
            // the vendor says a person typed the value in: kept as provenance of the value, not hidden
            o.getMeta().addTag(FhirSystems.DATA_SOURCE, "manual", "Entered manually, not measured by the device");
            o.setMethod(new CodeableConcept().setText("Entered manually (vendor data source: manual)"));
        }
        return o;
    }

    /** The observation claims the profile: in a meta of its own when it has one already, else in a shared one. */
    private void claim(Observation o, String profile) {
        if (o.hasMeta()) {
            o.getMeta().addProfile(profile);
            return;
        }
        o.setMeta(shared(profiles, profile, () -> new Meta().addProfile(profile)));
    }

    /** The observation's code, shared by every observation of the same code as extracted. */
    private CodeableConcept code(DeviceObservation obs) {
        return shared(codes, obs.code(), () -> newCode(obs));
    }

    /**
     * The element kept for the key, else one made and kept with its JSON ({@link FhirJson#fixed}); past
     * {@link #MOST_SHARED} kept, one made for this observation alone.
     */
    private static <K, E extends Element> E shared(Map<K, E> kept, K key, Supplier<E> make) {
        E shared = kept.get(key);
        if (shared != null) {
            return shared;
        }
        return kept.size() < MOST_SHARED ? kept.computeIfAbsent(key, k -> FhirJson.fixed(make.get())) : make.get();
    }

    private CodeableConcept newCode(DeviceObservation obs) {
        CodeableConcept cc = new CodeableConcept();
        if (obs.code().loinc() != null) {
            cc.addCoding().setSystem(FhirSystems.LOINC).setCode(obs.code().loinc())
                    .setDisplay(entry(obs).map(CodeEntry::loincDisplay).orElse(null));
        }
        if (obs.code().senderLoinc() != null && !obs.code().senderLoinc().equals(obs.code().loinc())) {
            cc.addCoding().setSystem(FhirSystems.LOINC).setCode(obs.code().senderLoinc());
        }
        if (obs.code().mdcCode() != null) {
            cc.addCoding().setSystem(FhirSystems.MDC).setCode(obs.code().mdcCode()).setDisplay(obs.code().mdcRefId());
        }
        cc.setText(obs.code().display() != null ? obs.code().display() : obs.code().mdcRefId());
        return cc;
    }

    /** The code map row for an observation: by its MDC code, else (device JSON coded in LOINC only) by LOINC. */
    private Optional<CodeEntry> entry(DeviceObservation obs) {
        return obs.code().mdcCode() != null ? terminology.byMdc(obs.code().mdcCode())
                : terminology.byLoinc(obs.code().loinc());
    }

    private static Quantity quantity(ObservationValue v) {
        Quantity q = new Quantity().setValue(v.quantity());
        if (v.ucum() != null) {
            q.setUnit(v.ucum()).setSystem(FhirSystems.UCUM).setCode(v.ucum());
        } else if (v.unitAsSent() != null) {
            q.setUnit(v.unitAsSent());
        }
        return q;
    }

    private static CodeableConcept vitalSignsCategory() {
        CodeableConcept category = new CodeableConcept();
        category.addCoding().setSystem(FhirSystems.OBSERVATION_CATEGORY).setCode("vital-signs").setDisplay("Vital Signs");
        return category;
    }

    private static DateTimeType dateTime(OffsetDateTime effective) {
        TemporalPrecisionEnum precision = effective.getNano() == 0 ? TemporalPrecisionEnum.SECOND : TemporalPrecisionEnum.MILLI;
        return new DateTimeType(Date.from(effective.toInstant()), precision, TimeZone.getTimeZone(effective.getOffset()));
    }

    private static String addPatient(Bundle bundle, PatientRef ref) {
        Patient patient = new Patient();
        patient.addIdentifier(new Identifier().setSystem(ref.system()).setValue(ref.value()));
        return BundleEntries.conditionalCreate(bundle, patient, ref.system(), ref.value());
    }

    private static String addDevice(Bundle bundle, DeviceInfo info) {
        Device device = new Device();
        String system = "EUI-64".equals(info.idType()) ? FhirSystems.EUI64 : FhirSystems.DEVICE_SERIAL;
        device.addIdentifier().setSystem(system).setValue(info.id());
        if (info.kind() != null) {
            device.getType().addCoding().setSystem(FhirSystems.MDC).setCode(info.kind());
        }
        return BundleEntries.conditionalCreate(bundle, device, system, info.id());
    }

    public static String patientKey(PatientRef ref) {
        return ref.system() + "|" + ref.value();
    }
}
