package io.vigil.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import io.vigil.model.DeviceInfo;
import io.vigil.model.DeviceObservation;
import io.vigil.model.ObservationBatch;
import io.vigil.model.ObservationValue;
import io.vigil.model.PatientRef;
import io.vigil.normalize.CodeEntry;
import io.vigil.normalize.Terminology;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TimeZone;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;

/**
 * Builds one FHIR R4 transaction Bundle per source message: the Patient and Device by identifier and the
 * Observations, every entry a conditional create on a stable identifier, so that a resent message creates
 * nothing new. Blood pressure values become one 85354-9 panel. Entry fullUrls are derived from the identifiers,
 * so the same message always gives the same Bundle.
 */
public final class FhirBundleBuilder {

    private static final Set<String> TEST_FLAGS = Set.of("DEMO", "TEST");

    private final FhirContext fhir;
    private final Terminology terminology;

    public FhirBundleBuilder(FhirContext fhir, Terminology terminology) {
        this.fhir = fhir;
        this.terminology = terminology;
    }

    public String toJson(Bundle bundle) {
        return fhir.newJsonParser().encodeResourceToString(bundle);
    }

    /** The bundle for a batch whose observations all name a resolved patient. */
    public Bundle build(ObservationBatch batch) {
        Bundle bundle = new Bundle();
        bundle.setType(Bundle.BundleType.TRANSACTION);
        Map<String, String> patients = new LinkedHashMap<>();
        Map<String, String> devices = new LinkedHashMap<>();
        for (DeviceObservation obs : batch.observations()) {
            patients.computeIfAbsent(patientKey(obs.patient()), k -> addPatient(bundle, obs.patient()));
            if (obs.device().id() != null) {
                devices.computeIfAbsent(obs.device().id(), k -> addDevice(bundle, obs.device()));
            }
        }
        for (List<DeviceObservation> group : BloodPressureGrouping.group(batch.observations())) {
            DeviceObservation first = group.get(0);
            Observation observation = BloodPressureGrouping.isCompletePanel(group) ? panel(group) : single(first);
            observation.setSubject(new Reference(patients.get(patientKey(first.patient()))));
            if (first.device().id() != null) {
                observation.setDevice(new Reference(devices.get(first.device().id())));
            }
            String id = observation.getIdentifierFirstRep().getValue();
            addConditional(bundle, observation, FhirSystems.OBSERVATION_ID, id);
        }
        return bundle;
    }

    private Observation single(DeviceObservation obs) {
        Observation o = base(obs, stableId(obs.sourceKey()));
        o.setCode(code(obs));
        ObservationValue v = obs.value();
        if (v.hasQuantity()) {
            o.setValue(quantity(v));
        } else if (v.text() != null) {
            o.setValue(new StringType(v.text()));
        }
        if (obs.alarmLimits() != null && v.hasQuantity()) {
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
            o.getMeta().addProfile(profile);
            o.addCategory(vitalSignsCategory());
        }
        return o;
    }

    private Observation panel(List<DeviceObservation> group) {
        DeviceObservation first = group.get(0);
        Observation o = base(first, stableId(first.sourceKey() + "|bp-panel"));
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
            o.getMeta().addProfile(VitalSignProfiles.BASE + "bp");
            o.addCategory(vitalSignsCategory());
        }
        return o;
    }

    private Observation base(DeviceObservation obs, String id) {
        Observation o = new Observation();
        o.addIdentifier().setSystem(FhirSystems.OBSERVATION_ID).setValue(id);
        o.setStatus(Observation.ObservationStatus.fromCode(obs.status()));
        o.setEffective(dateTime(obs));
        if (isTestData(obs)) {
            o.getMeta().addSecurity(FhirSystems.ACT_REASON, "HTEST", "test health data");
        }
        return o;
    }

    private static boolean isTestData(DeviceObservation obs) {
        String processing = obs.source().processingId();
        return obs.flags().stream().anyMatch(TEST_FLAGS::contains)
                || "D".equals(processing) || "T".equals(processing);
    }

    private CodeableConcept code(DeviceObservation obs) {
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

    private static DateTimeType dateTime(DeviceObservation obs) {
        var effective = obs.effective();
        TemporalPrecisionEnum precision = effective.getNano() == 0 ? TemporalPrecisionEnum.SECOND : TemporalPrecisionEnum.MILLI;
        return new DateTimeType(Date.from(effective.toInstant()), precision, TimeZone.getTimeZone(effective.getOffset()));
    }

    private String addPatient(Bundle bundle, PatientRef ref) {
        Patient patient = new Patient();
        patient.addIdentifier(new Identifier().setSystem(ref.system()).setValue(ref.value()));
        return addConditional(bundle, patient, ref.system(), ref.value());
    }

    private String addDevice(Bundle bundle, DeviceInfo info) {
        Device device = new Device();
        String system = "EUI-64".equals(info.idType()) ? FhirSystems.EUI64 : FhirSystems.DEVICE_SERIAL;
        device.addIdentifier().setSystem(system).setValue(info.id());
        if (info.kind() != null) {
            device.getType().addCoding().setSystem(FhirSystems.MDC).setCode(info.kind());
        }
        return addConditional(bundle, device, system, info.id());
    }

    /** Adds a POST entry that the server skips when a resource with this identifier already exists. */
    private static String addConditional(Bundle bundle, Resource resource, String system, String value) {
        String type = resource.fhirType();
        String fullUrl = "urn:uuid:" + UUID.nameUUIDFromBytes((type + "|" + system + "|" + value).getBytes(StandardCharsets.UTF_8));
        bundle.addEntry()
                .setFullUrl(fullUrl)
                .setResource(resource)
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl(type)
                .setIfNoneExist("identifier=" + system + "|" + value);
        return fullUrl;
    }

    private static String patientKey(PatientRef ref) {
        return ref.system() + "|" + ref.value();
    }

    static String stableId(String sourceKey) {
        return UUID.nameUUIDFromBytes(sourceKey.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
