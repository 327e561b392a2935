package health.vigil.interceptors.audit;

import ca.uhn.fhir.rest.annotation.ConditionalUrlParam;
import ca.uhn.fhir.rest.annotation.Count;
import ca.uhn.fhir.rest.annotation.Create;
import ca.uhn.fhir.rest.annotation.Delete;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Offset;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Patch;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.ResourceParam;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.annotation.Update;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.api.PatchTypeEnum;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.param.DateRangeParam;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.param.UriParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.SimpleBundleProvider;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.MethodNotAllowedException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import health.vigil.interceptors.api.AuditStorage;
import health.vigil.interceptors.api.AuditStorage.AuditQuery;
import health.vigil.interceptors.api.InterceptorErrors;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.IdType;

/**
 * {@code AuditEvent} served from the audit trail: read, and search by {@code patient} (the "who
 * accessed my data" report), {@code agent}, {@code outcome}, {@code subtype}, {@code policy}
 * (break-glass), {@code date} and {@code _id}, newest first, paged with {@code _count} and
 * {@code _offset}. Create, update, patch and delete are refused: the server alone writes the trail,
 * and nothing in it is ever changed through the API.
 */
final class AuditEventProvider implements IResourceProvider {

    private static final int DEFAULT_COUNT = 50;
    private static final int MAX_COUNT = 1000;

    private final AuditStorage storage;

    AuditEventProvider(AuditStorage storage) {
        this.storage = storage;
    }

    @Override
    public Class<? extends IBaseResource> getResourceType() {
        return AuditEvent.class;
    }

    @Read
    public AuditEvent read(@IdParam IdType id) {
        return storage.read(id.getIdPart()).orElseThrow(() -> new ResourceNotFoundException(id));
    }

    @Search
    public IBundleProvider search(
            @OptionalParam(name = "_id") TokenParam id,
            @OptionalParam(name = AuditEvent.SP_PATIENT) ReferenceParam patient,
            @OptionalParam(name = AuditEvent.SP_AGENT) ReferenceParam agent,
            @OptionalParam(name = AuditEvent.SP_OUTCOME) TokenParam outcome,
            @OptionalParam(name = AuditEvent.SP_SUBTYPE) TokenParam subtype,
            @OptionalParam(name = AuditEvent.SP_POLICY) UriParam policy,
            @OptionalParam(name = AuditEvent.SP_DATE) DateRangeParam date,
            @Offset Integer offset,
            @Count Integer count) {
        if (policy != null && !AuditStorage.BREAK_GLASS_POLICY.equals(policy.getValue())) {
            throw new InvalidRequestException(InterceptorErrors.INVALID_AUDIT_SEARCH.message(
                    "policy can only be " + AuditStorage.BREAK_GLASS_POLICY + " (break-glass access)"));
        }
        AuditQuery query = new AuditQuery(
                Optional.ofNullable(id).map(TokenParam::getValue),
                Optional.ofNullable(patient).map(reference -> reference.getIdPart()),
                Optional.ofNullable(agent).map(AuditEventProvider::agent),
                Optional.ofNullable(outcome).map(TokenParam::getValue),
                Optional.ofNullable(subtype).map(TokenParam::getValue),
                policy != null,
                Optional.ofNullable(date)
                        .map(DateRangeParam::getLowerBoundAsInstant)
                        .map(java.util.Date::toInstant),
                Optional.ofNullable(date)
                        .map(DateRangeParam::getUpperBoundAsInstant)
                        .map(java.util.Date::toInstant)
                        .map(upper -> upper.plusMillis(1)));
        int first = offset == null ? 0 : Math.max(0, offset);
        int size = count == null ? DEFAULT_COUNT : Math.max(0, Math.min(MAX_COUNT, count));
        List<IBaseResource> page = new ArrayList<>(storage.search(query, first, size));
        SimpleBundleProvider bundle = new SimpleBundleProvider(page);
        bundle.setCurrentPageOffset(first);
        bundle.setCurrentPageSize(size);
        bundle.setSize((int) Math.min(Integer.MAX_VALUE, storage.count(query)));
        return bundle;
    }

    @Create
    public MethodOutcome create(@ResourceParam AuditEvent event) {
        throw immutable();
    }

    @Update
    public MethodOutcome update(@IdParam IdType id, @ResourceParam AuditEvent event) {
        throw immutable();
    }

    @Patch
    public MethodOutcome patch(@IdParam IdType id, PatchTypeEnum type, @ResourceParam String body) {
        throw immutable();
    }

    @Delete
    public MethodOutcome delete(@IdParam IdType id, @ConditionalUrlParam String conditional) {
        throw immutable();
    }

    static MethodNotAllowedException immutable() {
        return new MethodNotAllowedException(InterceptorErrors.AUDIT_IMMUTABLE.message(
                "audit records are written by the server alone and are never changed or removed through the API"));
    }

    /** {@code Practitioner/1}, or a client id given as the bare value. */
    private static String agent(ReferenceParam agent) {
        return agent.getResourceType() != null ? agent.getResourceType() + "/" + agent.getIdPart() : agent.getValue();
    }
}
