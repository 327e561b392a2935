package health.vigil.server.ingestion;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import health.vigil.ingestion.api.PatientDirectory;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;

/**
 * Answers ingestion's questions from storage, as the server: who a patient identifier is, and which
 * patient a stored Device is linked to. The caller's own rights were checked by the operation's
 * authorization; what is found here is never returned to the caller.
 */
final class JpaPatientDirectory implements PatientDirectory {

    private final IFhirResourceDao<Patient> patients;
    private final IFhirResourceDao<Device> devices;

    JpaPatientDirectory(DaoRegistry daos) {
        this.patients = daos.getResourceDao(Patient.class);
        this.devices = daos.getResourceDao(Device.class);
    }

    @Override
    public Optional<String> patientWithIdentifier(String system, String value) {
        SearchParameterMap search =
                SearchParameterMap.newSynchronous(Patient.SP_IDENTIFIER, new TokenParam(system, value));
        search.setCount(2);
        IBundleProvider found = patients.search(search, new SystemRequestDetails());
        List<IBaseResource> matches = found.getResources(0, 2);
        return matches.size() == 1 ? Optional.of(matches.get(0).getIdElement().getIdPart()) : Optional.empty();
    }

    @Override
    public Optional<String> patientOfDevice(String deviceId) {
        try {
            Device device = devices.read(new IdType("Device", deviceId), new SystemRequestDetails());
            return device.hasPatient() && device.getPatient().hasReference()
                    ? Optional.of(device.getPatient().getReferenceElement().getIdPart())
                    : Optional.empty();
        } catch (ResourceNotFoundException | ResourceGoneException e) {
            return Optional.empty();
        }
    }

    /** Whether a patient with this id is stored (and not deleted). */
    boolean exists(String patientId) {
        try {
            patients.read(new IdType("Patient", patientId), new SystemRequestDetails());
            return true;
        } catch (ResourceNotFoundException | ResourceGoneException e) {
            return false;
        }
    }
}
