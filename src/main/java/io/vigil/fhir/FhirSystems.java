package io.vigil.fhir;

/** Code and identifier systems written into FHIR resources. */
public final class FhirSystems {

    public static final String LOINC = "http://loinc.org";
    public static final String MDC = "urn:iso:std:iso:11073:10101";
    public static final String UCUM = "http://unitsofmeasure.org";
    public static final String OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category";
    /** IEEE EUI-64 device identifiers, as in the HL7 Point-of-Care Device implementation guide. */
    public static final String EUI64 = "urn:oid:1.2.840.10004.1.1.1.0.0.1.0.0.1.2680";
    public static final String DEVICE_SERIAL = "urn:vigil:device-serial";
    /** Stable observation identifiers derived from the source message (see DeviceObservation.sourceKey). */
    public static final String OBSERVATION_ID = "urn:vigil:observation";
    public static final String ACT_REASON = "http://terminology.hl7.org/CodeSystem/v3-ActReason";

    private FhirSystems() {
    }

    /** Where a value came from when it was not measured by the device (e.g. "manual"). */
    public static final String DATA_SOURCE = "urn:vigil:data-source";
}
