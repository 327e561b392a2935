package health.vigil.interceptors.audit;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.ResponseDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import ca.uhn.fhir.util.FhirTerser;
import health.vigil.interceptors.api.AccessContext;
import health.vigil.interceptors.api.AccessContextResolver;
import health.vigil.interceptors.consent.ConsentSummary;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;

/**
 * Collects what the FHIR layer knows about a request into its {@link RequestAudit}: the interaction,
 * the caller, the resources and patients involved, the search query, the failure, and what consent
 * did. It writes nothing itself: the audit filter writes the record when the response is ready.
 * Its first hooks run before every other interceptor's (so a request refused by authorization or
 * consent is still described), its last after them (so it sees what consent left in the response).
 */
@Interceptor
final class AuditInterceptor {

    private static final int FIRST = -1000;
    private static final int LAST = 10_000;
    private static final Set<String> PATIENT_PARAMETERS = Set.of("patient", "subject", "_id");

    private final Optional<AccessContextResolver> resolver;
    private final FhirTerser terser;
    private final String purposeHeader;

    AuditInterceptor(Optional<AccessContextResolver> resolver, FhirContext fhirContext, String purposeHeader) {
        this.resolver = resolver;
        this.terser = fhirContext.newTerser();
        this.purposeHeader = purposeHeader;
    }

    @Hook(value = Pointcut.SERVER_INCOMING_REQUEST_POST_PROCESSED, order = FIRST)
    public boolean received(RequestDetails request, HttpServletRequest servletRequest) {
        if (!request.isSubRequest()) {
            RequestAudit.of(servletRequest).ifPresent(audit -> audit.requester = requester(request, servletRequest));
        }
        return true;
    }

    @Hook(value = Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED, order = FIRST)
    public void handled(RequestDetails request, RestOperationTypeEnum operation) {
        audit(request).ifPresent(audit -> {
            if (request.isSubRequest()) {
                // An entry of a batch or transaction: the record is the outer request's; the entry adds
                // what it touches.
                if (request.getId() != null && request.getId().hasIdPart() && request.getResourceName() != null) {
                    addResource(
                            audit, request.getResourceName(), request.getId().getIdPart());
                }
                addPatientsFromParameters(audit, request);
                return;
            }
            audit.interaction = interaction(operation, request);
            if (operation == RestOperationTypeEnum.EXTENDED_OPERATION_INSTANCE
                    || operation == RestOperationTypeEnum.EXTENDED_OPERATION_TYPE
                    || operation == RestOperationTypeEnum.EXTENDED_OPERATION_SERVER) {
                audit.operation = Optional.ofNullable(request.getOperation());
            }
            audit.resourceType = Optional.ofNullable(request.getResourceName());
            if (operation == RestOperationTypeEnum.SEARCH_TYPE || operation == RestOperationTypeEnum.SEARCH_SYSTEM) {
                audit.query = Optional.ofNullable(
                        ((ServletRequestDetails) request).getServletRequest().getQueryString());
            }
            if (request.getId() != null && request.getId().hasIdPart() && request.getResourceName() != null) {
                addResource(audit, request.getResourceName(), request.getId().getIdPart());
            }
            if (request.getResource() != null && !(request.getResource() instanceof Bundle)) {
                addPatientsOf(audit, request.getResource());
            }
            addPatientsFromParameters(audit, request);
        });
    }

    @Hook(value = Pointcut.SERVER_OUTGOING_RESPONSE, order = LAST)
    public boolean responding(RequestDetails request, ResponseDetails response) {
        audit(request).ifPresent(audit -> {
            IBaseResource body = response.getResponseResource();
            if (body instanceof Bundle bundle) {
                for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
                    if (entry.getResource() != null
                            && !"OperationOutcome".equals(entry.getResource().fhirType())) {
                        addReturned(audit, entry.getResource());
                    }
                }
            } else if (body != null && !"OperationOutcome".equals(body.fhirType())) {
                addReturned(audit, body);
            }
            if (!request.isSubRequest()) {
                audit.consent = consentNote(request, false);
            }
        });
        return true;
    }

    @Hook(value = Pointcut.SERVER_HANDLE_EXCEPTION, order = FIRST)
    public boolean failed(RequestDetails request, BaseServerResponseException exception) {
        audit(request).filter(audit -> !request.isSubRequest()).ifPresent(audit -> {
            audit.failure = Optional.ofNullable(exception.getMessage());
            audit.consent = consentNote(request, true);
        });
        return true;
    }

    private Optional<RequestAudit> audit(RequestDetails request) {
        return request instanceof ServletRequestDetails servlet
                ? RequestAudit.of(servlet.getServletRequest())
                : Optional.empty();
    }

    private AuditRecord.Requester requester(RequestDetails request, HttpServletRequest servletRequest) {
        Optional<AccessContext> caller = resolver.flatMap(r -> r.resolve(request));
        String purpose =
                ConsentSummary.of(request).map(ConsentSummary::purpose).orElseGet(() -> purposeHeader(servletRequest));
        return new AuditRecord.Requester(
                caller.map(AccessContext::subject),
                caller.flatMap(AccessContext::fhirUser),
                caller.map(AccessContext::clientId).filter(id -> !id.isEmpty()),
                purpose,
                servletRequest.getRemoteAddr());
    }

    private String purposeHeader(HttpServletRequest request) {
        String value = request.getHeader(purposeHeader);
        return value != null && value.trim().matches("[A-Z]{2,20}") ? value.trim() : "TREAT";
    }

    private static Optional<AuditRecord.ConsentNote> consentNote(RequestDetails request, boolean refused) {
        return ConsentSummary.of(request).map(summary -> {
            Optional<String> decisive =
                    summary.breakGlass() ? summary.overridden().stream().findFirst() : summary.firstDenial();
            String decision;
            if (summary.breakGlass()) {
                decision = "BREAK_GLASS";
            } else if (summary.hidden() == 0) {
                decision = "PERMIT";
            } else {
                decision = refused ? "DENY" : "PARTIAL";
            }
            return new AuditRecord.ConsentNote(
                    decision,
                    decisive.map(reference -> reference.split("#", 2)[0]).filter(r -> r.startsWith("Consent/")),
                    decisive.filter(reference -> reference.contains("#"))
                            .map(reference -> reference.split("#", 2)[1]),
                    summary.hidden());
        });
    }

    private void addReturned(RequestAudit audit, IBaseResource resource) {
        if (resource.getIdElement().hasIdPart()) {
            addResource(audit, resource.fhirType(), resource.getIdElement().getIdPart());
        }
        addPatientsOf(audit, resource);
    }

    private static void addResource(RequestAudit audit, String type, String id) {
        if (id.startsWith("#")) {
            return;
        }
        audit.resources.add(type + "/" + id);
        if ("Patient".equals(type)) {
            audit.patients.add(id);
        }
    }

    private void addPatientsOf(RequestAudit audit, IBaseResource resource) {
        if (!(resource instanceof Resource)) {
            return;
        }
        if ("Patient".equals(resource.fhirType())) {
            if (resource.getIdElement().hasIdPart()) {
                audit.patients.add(resource.getIdElement().getIdPart());
            }
            return;
        }
        for (IIdType owner : terser.getCompartmentOwnersForResource("Patient", resource, (Set<String>) null)) {
            // A reference to a contained resource (#p1) names no stored patient.
            if (!owner.isLocal() && owner.hasIdPart() && !owner.getIdPart().startsWith("#")) {
                audit.patients.add(owner.getIdPart());
            }
        }
    }

    private static void addPatientsFromParameters(RequestAudit audit, RequestDetails request) {
        Map<String, String[]> parameters = request.getParameters();
        if (parameters == null) {
            return;
        }
        for (String name : PATIENT_PARAMETERS) {
            String[] values = parameters.get(name);
            if (values == null || (name.equals("_id") && !"Patient".equals(request.getResourceName()))) {
                continue;
            }
            for (String value : values) {
                for (String reference : value.split(",")) {
                    if (name.equals("_id")) {
                        audit.patients.add(reference);
                    } else if (reference.startsWith("Patient/")
                            || ("patient".equals(name) && !reference.contains("/"))) {
                        audit.patients.add(reference.substring(reference.indexOf('/') + 1));
                    }
                }
            }
        }
    }

    /** The FHIR RESTful interaction code (http://hl7.org/fhir/restful-interaction) of an operation. */
    static String interaction(RestOperationTypeEnum operation, RequestDetails request) {
        if (operation == null) {
            return "operation";
        }
        switch (operation) {
            case METADATA:
                return "capabilities";
            case TRANSACTION:
            case BATCH:
                return request.getResource() instanceof Bundle bundle && bundle.getType() == Bundle.BundleType.BATCH
                        ? "batch"
                        : "transaction";
            case GET_PAGE:
                return "search";
            case READ:
            case VREAD:
            case UPDATE:
            case PATCH:
            case DELETE:
            case CREATE:
            case SEARCH_TYPE:
            case SEARCH_SYSTEM:
            case HISTORY_INSTANCE:
            case HISTORY_TYPE:
            case HISTORY_SYSTEM:
                return operation.getCode();
            default:
                return "operation";
        }
    }
}
