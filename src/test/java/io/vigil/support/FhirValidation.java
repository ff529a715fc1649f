package io.vigil.support;

import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import java.util.List;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * HAPI's instance validator on the FHIR R4 core definitions, which include the vital-signs profiles: every
 * resource in a bundle is checked against R4 and against the profiles it claims in meta.profile.
 */
public final class FhirValidation {

    private static FhirValidator validator;

    private FhirValidation() {
    }

    private static synchronized FhirValidator validator() {
        if (validator == null) {
            var fhir = TestPipeline.FHIR;
            ValidationSupportChain chain = new ValidationSupportChain(
                    new DefaultProfileValidationSupport(fhir),
                    new CommonCodeSystemsTerminologyService(fhir),
                    new InMemoryTerminologyServerValidationSupport(fhir),
                    new SnapshotGeneratingValidationSupport(fhir));
            validator = fhir.newValidator().registerValidatorModule(new FhirInstanceValidator(chain));
        }
        return validator;
    }

    /** Messages of severity error or fatal; an empty list means the resource is valid. */
    public static List<String> errors(IBaseResource resource) {
        return validator().validateWithResult(resource).getMessages().stream()
                .filter(m -> m.getSeverity() == ResultSeverityEnum.ERROR || m.getSeverity() == ResultSeverityEnum.FATAL)
                .map(FhirValidation::describe)
                .toList();
    }

    private static String describe(SingleValidationMessage m) {
        return m.getSeverity() + " " + m.getLocationString() + ": " + m.getMessage();
    }
}
