package health.vigil.interceptors.audit;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * Refuses any write of an {@code AuditEvent} into the FHIR resource store, whatever the path
 * (transaction and batch entries, operations): the audit trail is kept apart, written by the server
 * alone, and never changed through the API. Registered on the storage interceptor service.
 */
@Interceptor
final class AuditImmutabilityInterceptor {

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED)
    public void creating(IBaseResource resource) {
        refuse(resource);
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED)
    public void updating(IBaseResource previous, IBaseResource resource) {
        refuse(resource);
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_DELETED)
    public void deleting(IBaseResource resource) {
        refuse(resource);
    }

    private static void refuse(IBaseResource resource) {
        if (resource != null && "AuditEvent".equals(resource.fhirType())) {
            throw AuditEventProvider.immutable();
        }
    }
}
