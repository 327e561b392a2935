package health.vigil.interceptors.authorization;

/** Which resources a scope reaches for one caller. */
sealed interface Reach {

    /** Resources of the scope's types whatever patient they belong to ({@code system/}, practitioner users). */
    record AnyResource() implements Reach {}

    /** Only resources in this patient's compartment (patient scopes, patient users). */
    record PatientCompartment(String patientId) implements Reach {}
}
