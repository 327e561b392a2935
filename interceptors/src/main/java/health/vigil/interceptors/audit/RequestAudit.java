package health.vigil.interceptors.audit;

import jakarta.servlet.ServletRequest;
import java.time.Instant;
import java.util.Collections;
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
    volatile String interaction;
    volatile Optional<String> operation = Optional.empty();
    volatile Optional<String> resourceType = Optional.empty();
    volatile Optional<String> query = Optional.empty();
    volatile Optional<String> failure = Optional.empty();
    volatile AuditRecord.Requester requester;
    volatile Optional<AuditRecord.ConsentNote> consent = Optional.empty();
    // The entries of a batch run on parallel threads and add to the same sets.
    final Set<String> resources = Collections.synchronizedSet(new LinkedHashSet<>());
    final Set<String> patients = Collections.synchronizedSet(new LinkedHashSet<>());

    static RequestAudit start(ServletRequest request) {
        RequestAudit audit = new RequestAudit();
        request.setAttribute(ATTRIBUTE, audit);
        return audit;
    }

    static Optional<RequestAudit> of(ServletRequest request) {
        return request == null ? Optional.empty() : Optional.ofNullable((RequestAudit) request.getAttribute(ATTRIBUTE));
    }
}
