package health.vigil.interceptors.audit;

import jakarta.servlet.ServletRequest;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * What the FHIR layer learned about one request, for its audit record: kept as a servlet request
 * attribute from the moment the audit filter sees the request, filled in by the audit hooks, and
 * read by the filter when the response is ready. A request refused before it reached the FHIR layer
 * (no token, too large) keeps only what the filter knows.
 */
final class RequestAudit {

    private static final String ATTRIBUTE = RequestAudit.class.getName();

    final Instant started = Instant.now();
    String interaction;
    Optional<String> operation = Optional.empty();
    Optional<String> resourceType = Optional.empty();
    Optional<String> query = Optional.empty();
    Optional<String> failure = Optional.empty();
    AuditRecord.Requester requester;
    Optional<AuditRecord.ConsentNote> consent = Optional.empty();
    final Set<String> resources = new LinkedHashSet<>();
    final Set<String> patients = new LinkedHashSet<>();

    static RequestAudit start(ServletRequest request) {
        RequestAudit audit = new RequestAudit();
        request.setAttribute(ATTRIBUTE, audit);
        return audit;
    }

    static Optional<RequestAudit> of(ServletRequest request) {
        return request == null ? Optional.empty() : Optional.ofNullable((RequestAudit) request.getAttribute(ATTRIBUTE));
    }
}
