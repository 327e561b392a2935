package health.vigil.ingestion.api;

import java.util.Optional;

/**
 * What ingestion needs to know about stored patients and devices, answered by the server's storage.
 * Called once per distinct identifier or device in a batch; implementations may read the database.
 */
public interface PatientDirectory {

    /** The FHIR id of the one patient with this identifier; empty if none (or more than one) has it. */
    Optional<String> patientWithIdentifier(String system, String value);

    /**
     * The FHIR id of the patient a stored device is linked to ({@code Device.patient}).
     *
     * @param deviceId the Device's FHIR id, as ingestion derives it from the device's own identifier
     * @return empty if the device is not stored or not linked to a patient
     */
    Optional<String> patientOfDevice(String deviceId);
}
