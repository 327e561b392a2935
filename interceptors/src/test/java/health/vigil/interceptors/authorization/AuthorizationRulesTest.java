package health.vigil.interceptors.authorization;

import static ca.uhn.fhir.rest.api.RestOperationTypeEnum.CREATE;
import static ca.uhn.fhir.rest.api.RestOperationTypeEnum.DELETE;
import static ca.uhn.fhir.rest.api.RestOperationTypeEnum.EXTENDED_OPERATION_INSTANCE;
import static ca.uhn.fhir.rest.api.RestOperationTypeEnum.EXTENDED_OPERATION_SERVER;
import static ca.uhn.fhir.rest.api.RestOperationTypeEnum.EXTENDED_OPERATION_TYPE;
import static ca.uhn.fhir.rest.api.RestOperationTypeEnum.HISTORY_INSTANCE;
import static ca.uhn.fhir.rest.api.RestOperationTypeEnum.METADATA;
import static ca.uhn.fhir.rest.api.RestOperationTypeEnum.READ;
import static ca.uhn.fhir.rest.api.RestOperationTypeEnum.SEARCH_TYPE;
import static ca.uhn.fhir.rest.api.RestOperationTypeEnum.UPDATE;
import static ca.uhn.fhir.rest.api.RestOperationTypeEnum.VREAD;
import static ca.uhn.fhir.rest.server.interceptor.auth.PolicyEnum.ALLOW;
import static ca.uhn.fhir.rest.server.interceptor.auth.PolicyEnum.DENY;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.hl7.fhir.r4.model.Binary;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

/** Scope to rule mapping, judged by HAPI's own rule evaluation (no server). */
class AuthorizationRulesTest {

    private static final String ME = "p1";
    private static final String OTHER = "p2";

    @Test
    void patientRead_ownObservation_allowedOthersDenied() {
        Decisions token = Decisions.forToken(ME, null, "patient/Observation.r");

        assertThat(token.incoming(READ, "Observation/o1", null)).isEqualTo(ALLOW);
        assertThat(token.outgoing(READ, "Observation/o1", observation("o1", ME)))
                .isEqualTo(ALLOW);
        assertThat(token.outgoing(READ, "Observation/o2", observation("o2", OTHER)))
                .isEqualTo(DENY);
        assertThat(token.outgoing(VREAD, "Observation/o1", observation("o1", ME)))
                .isEqualTo(ALLOW);
    }

    @Test
    void patientReadOnly_search_denied() {
        Decisions token = Decisions.forToken(ME, null, "patient/Observation.r");

        assertThat(token.incoming(SEARCH_TYPE, "Observation", null, "patient=Patient/" + ME))
                .isEqualTo(DENY);
        assertThat(token.outgoing(SEARCH_TYPE, "Observation", observation("o1", ME)))
                .isEqualTo(DENY);
    }

    @Test
    void patientSearchOnly_read_deniedSearchConfinedAllowed() {
        Decisions token = Decisions.forToken(ME, null, "patient/Observation.s");

        assertThat(token.outgoing(READ, "Observation/o1", observation("o1", ME)))
                .isEqualTo(DENY);
        assertThat(token.incoming(SEARCH_TYPE, "Observation", null, "patient=Patient/" + ME))
                .isEqualTo(ALLOW);
        assertThat(token.incoming(SEARCH_TYPE, "Observation", null, "code=1234-5"))
                .as("a patient search must be confined to the patient (narrowing adds the parameter)")
                .isEqualTo(DENY);
        assertThat(token.outgoing(SEARCH_TYPE, "Observation", observation("o1", ME)))
                .isEqualTo(ALLOW);
        assertThat(token.outgoing(SEARCH_TYPE, "Observation", observation("o2", OTHER)))
                .isEqualTo(DENY);
    }

    @Test
    void patientScope_otherType_denied() {
        Decisions token = Decisions.forToken(ME, null, "patient/Observation.rs");

        assertThat(token.outgoing(READ, "Condition/c1", condition("c1", ME))).isEqualTo(DENY);
    }

    @Test
    void patientScope_withoutPatientClaim_grantsNothing() {
        Decisions token = Decisions.forToken(null, null, "patient/*.cruds");

        assertThat(token.outgoing(READ, "Observation/o1", observation("o1", ME)))
                .isEqualTo(DENY);
        assertThat(token.storing(CREATE, observation("o3", ME))).isEqualTo(DENY);
        assertThat(token.incoming(METADATA, "", null)).isEqualTo(ALLOW);
    }

    @Test
    void patientInstanceHistory_ownAllowedOthersVersionsDenied() {
        Decisions token = Decisions.forToken(ME, null, "patient/Observation.rs");

        assertThat(token.incoming(HISTORY_INSTANCE, "Observation/o1", null)).isEqualTo(ALLOW);
        assertThat(token.outgoing(HISTORY_INSTANCE, "Observation/o1", observation("o1", ME)))
                .isEqualTo(ALLOW);
        assertThat(token.outgoing(HISTORY_INSTANCE, "Observation/o2", observation("o2", OTHER)))
                .isEqualTo(DENY);
    }

    @Test
    void patientWrites_needTheirLetterAndStayInCompartment() {
        Decisions createOnly = Decisions.forToken(ME, null, "patient/Observation.c");
        Decisions updateOnly = Decisions.forToken(ME, null, "patient/Observation.u");
        Decisions deleteOnly = Decisions.forToken(ME, null, "patient/Observation.d");

        assertThat(createOnly.storing(CREATE, observation("o3", ME))).isEqualTo(ALLOW);
        assertThat(createOnly.storing(CREATE, observation("o3", OTHER))).isEqualTo(DENY);
        assertThat(createOnly.storing(UPDATE, observation("o1", ME))).isEqualTo(DENY);
        assertThat(updateOnly.storing(UPDATE, observation("o1", ME))).isEqualTo(ALLOW);
        assertThat(updateOnly.storing(UPDATE, observation("o2", OTHER))).isEqualTo(DENY);
        assertThat(updateOnly.storing(CREATE, observation("o3", ME))).isEqualTo(DENY);
        assertThat(deleteOnly.storing(DELETE, observation("o1", ME))).isEqualTo(ALLOW);
        assertThat(deleteOnly.storing(DELETE, observation("o2", OTHER))).isEqualTo(DENY);
        assertThat(deleteOnly.storing(UPDATE, observation("o1", ME))).isEqualTo(DENY);
    }

    @Test
    void v1Write_allowsCreateUpdateDeleteButNotRead() {
        Decisions token = Decisions.forToken(ME, null, "patient/Observation.write");

        assertThat(token.storing(CREATE, observation("o3", ME))).isEqualTo(ALLOW);
        assertThat(token.storing(UPDATE, observation("o1", ME))).isEqualTo(ALLOW);
        assertThat(token.storing(DELETE, observation("o1", ME))).isEqualTo(ALLOW);
        assertThat(token.outgoing(READ, "Observation/o1", observation("o1", ME)))
                .isEqualTo(DENY);
    }

    @Test
    void patientWildcard_readsOwnPatientAndReferenceDataButNotOthersOrBinary() {
        Decisions token = Decisions.forToken(ME, null, "patient/*.rs");

        assertThat(token.outgoing(READ, "Patient/" + ME, patient(ME))).isEqualTo(ALLOW);
        assertThat(token.incoming(READ, "Patient/" + OTHER, null)).isEqualTo(DENY);
        assertThat(token.outgoing(READ, "Condition/c1", condition("c1", ME))).isEqualTo(ALLOW);
        assertThat(token.outgoing(READ, "Practitioner/dr", practitioner("dr"))).isEqualTo(ALLOW);
        Binary binary = new Binary();
        binary.setId("Binary/b1");
        assertThat(token.outgoing(READ, "Binary/b1", binary)).isEqualTo(DENY);
    }

    @Test
    void userScope_practitioner_readsAnyPatientsData() {
        Decisions token = Decisions.forToken(null, "Practitioner/dr", "user/Observation.rs");

        assertThat(token.outgoing(READ, "Observation/o2", observation("o2", OTHER)))
                .isEqualTo(ALLOW);
        assertThat(token.incoming(SEARCH_TYPE, "Observation", null, "code=1234-5"))
                .isEqualTo(ALLOW);
        assertThat(token.storing(CREATE, observation("o3", OTHER))).isEqualTo(DENY);
    }

    @Test
    void userScope_patientUser_confinedToOwnCompartment() {
        Decisions token = Decisions.forToken(null, "Patient/" + ME, "user/Observation.rs");

        assertThat(token.outgoing(READ, "Observation/o1", observation("o1", ME)))
                .isEqualTo(ALLOW);
        assertThat(token.outgoing(READ, "Observation/o2", observation("o2", OTHER)))
                .isEqualTo(DENY);
    }

    @Test
    void userScope_withoutFhirUserOrForRelatedPerson_grantsNothing() {
        assertThat(Decisions.forToken(null, null, "user/*.cruds")
                        .outgoing(READ, "Observation/o1", observation("o1", ME)))
                .isEqualTo(DENY);
        assertThat(Decisions.forToken(null, "RelatedPerson/rp", "user/*.cruds")
                        .outgoing(READ, "Observation/o1", observation("o1", ME)))
                .isEqualTo(DENY);
    }

    @Test
    void systemScope_readsAndWritesAnyResourceOfItsType() {
        Decisions token = Decisions.forToken(null, null, "system/Observation.cruds");

        assertThat(token.outgoing(READ, "Observation/o2", observation("o2", OTHER)))
                .isEqualTo(ALLOW);
        assertThat(token.storing(CREATE, observation("o3", OTHER))).isEqualTo(ALLOW);
        assertThat(token.outgoing(READ, "Condition/c1", condition("c1", ME))).isEqualTo(DENY);
    }

    @Test
    void invalidScope_grantsNothingButValidOnesStillApply() {
        Decisions token = Decisions.forToken(ME, null, "patient/Observation.sr", "patient/Condition.rs");

        assertThat(token.outgoing(READ, "Observation/o1", observation("o1", ME)))
                .isEqualTo(DENY);
        assertThat(token.outgoing(READ, "Condition/c1", condition("c1", ME))).isEqualTo(ALLOW);
    }

    @Test
    void everything_needsWildcardReadAndSearch_onOwnPatientOnly() {
        Decisions wildcard = Decisions.forToken(ME, null, "patient/*.rs");
        Decisions observationsOnly = Decisions.forToken(ME, null, "patient/Observation.rs");

        assertThat(wildcard.operation(EXTENDED_OPERATION_INSTANCE, "Patient/" + ME, "$everything"))
                .isEqualTo(ALLOW);
        assertThat(wildcard.operation(EXTENDED_OPERATION_INSTANCE, "Patient/" + OTHER, "$everything"))
                .isEqualTo(DENY);
        assertThat(observationsOnly.operation(EXTENDED_OPERATION_INSTANCE, "Patient/" + ME, "$everything"))
                .isEqualTo(DENY);
        assertThat(wildcard.outgoing(EXTENDED_OPERATION_INSTANCE, "Patient/" + ME, condition("c1", ME)))
                .isEqualTo(ALLOW);
        assertThat(wildcard.outgoing(EXTENDED_OPERATION_INSTANCE, "Patient/" + ME, condition("c2", OTHER)))
                .isEqualTo(DENY);
    }

    @Test
    void validate_typeLevelOpenToAnyScopeInstanceLevelNot() {
        Decisions token = Decisions.forToken(ME, null, "patient/Condition.rs");

        assertThat(token.operation(EXTENDED_OPERATION_TYPE, "Observation", "$validate"))
                .isEqualTo(ALLOW);
        assertThat(token.operation(EXTENDED_OPERATION_INSTANCE, "Observation/o2", "$validate"))
                .isEqualTo(DENY);
    }

    @Test
    void terminologyOperations_openToAnyResourceScope() {
        Decisions token = Decisions.forToken(ME, null, "patient/Observation.rs");

        for (String operation : List.of("$lookup", "$validate-code", "$expand", "$translate")) {
            assertThat(token.operation(EXTENDED_OPERATION_TYPE, "CodeSystem", operation))
                    .as(operation)
                    .isEqualTo(ALLOW);
        }
    }

    @Test
    void ingest_needsObservationWriteOnThePatient() {
        Decisions patient = Decisions.forToken(ME, null, "patient/Observation.cu");

        assertThat(patient.operation(EXTENDED_OPERATION_INSTANCE, "Patient/" + ME, "$ingest"))
                .isEqualTo(ALLOW);
        assertThat(patient.operation(EXTENDED_OPERATION_INSTANCE, "Patient/" + OTHER, "$ingest"))
                .isEqualTo(DENY);
        assertThat(patient.operation(EXTENDED_OPERATION_SERVER, "", "$ingest")).isEqualTo(DENY);
        assertThat(Decisions.forToken(ME, null, "patient/Observation.c")
                        .operation(EXTENDED_OPERATION_INSTANCE, "Patient/" + ME, "$ingest"))
                .isEqualTo(DENY);
        assertThat(Decisions.forToken(ME, null, "patient/Observation.rs")
                        .operation(EXTENDED_OPERATION_INSTANCE, "Patient/" + ME, "$ingest"))
                .isEqualTo(DENY);
        assertThat(Decisions.forToken(ME, null, "patient/Observation.cu?category=laboratory")
                        .operation(EXTENDED_OPERATION_INSTANCE, "Patient/" + ME, "$ingest"))
                .isEqualTo(DENY);

        Decisions backend = Decisions.forToken(null, null, "system/Observation.cu");
        assertThat(backend.operation(EXTENDED_OPERATION_INSTANCE, "Patient/" + OTHER, "$ingest"))
                .isEqualTo(ALLOW);
        assertThat(backend.operation(EXTENDED_OPERATION_SERVER, "", "$ingest")).isEqualTo(ALLOW);
    }

    @Test
    void terminologyUpload_needsSystemScopeCreatingAndUpdatingCodeSystems() {
        String upload = "$upload-external-code-system";

        assertThat(Decisions.forToken(null, null, "system/CodeSystem.cu")
                        .operation(EXTENDED_OPERATION_TYPE, "CodeSystem", upload))
                .isEqualTo(ALLOW);
        assertThat(Decisions.forToken(null, null, "system/*.cruds")
                        .operation(EXTENDED_OPERATION_TYPE, "CodeSystem", "$apply-codesystem-delta-add"))
                .isEqualTo(ALLOW);
        assertThat(Decisions.forToken(null, null, "system/CodeSystem.c")
                        .operation(EXTENDED_OPERATION_TYPE, "CodeSystem", upload))
                .isEqualTo(DENY);
        assertThat(Decisions.forToken(null, "Practitioner/d1", "user/*.cruds")
                        .operation(EXTENDED_OPERATION_TYPE, "CodeSystem", upload))
                .isEqualTo(DENY);
        assertThat(Decisions.forToken(ME, null, "patient/*.cruds")
                        .operation(EXTENDED_OPERATION_TYPE, "CodeSystem", upload))
                .isEqualTo(DENY);
    }

    @Test
    void noResourceScopes_onlyMetadata() {
        Decisions token = Decisions.forToken(ME, null, "openid", "fhirUser", "launch/patient");

        assertThat(token.incoming(METADATA, "", null)).isEqualTo(ALLOW);
        assertThat(token.outgoing(READ, "Patient/" + ME, patient(ME))).isEqualTo(DENY);
        assertThat(token.operation(EXTENDED_OPERATION_INSTANCE, "ValueSet/vs", "$expand"))
                .isEqualTo(DENY);
    }

    static Observation observation(String id, String patient) {
        Observation observation = new Observation();
        observation.setId("Observation/" + id);
        observation.setSubject(new Reference("Patient/" + patient));
        return observation;
    }

    static Condition condition(String id, String patient) {
        Condition condition = new Condition();
        condition.setId("Condition/" + id);
        condition.setSubject(new Reference("Patient/" + patient));
        return condition;
    }

    static Patient patient(String id) {
        Patient patient = new Patient();
        patient.setId("Patient/" + id);
        return patient;
    }

    static Practitioner practitioner(String id) {
        Practitioner practitioner = new Practitioner();
        practitioner.setId("Practitioner/" + id);
        return practitioner;
    }
}
