package health.vigil.interceptors.audit;

import ca.uhn.fhir.context.FhirContext;
import health.vigil.interceptors.api.InterceptorErrors;
import health.vigil.interceptors.audit.AuditWriter.AuditWriteException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * Audits every FHIR request, whatever answers it (HAPI, the token check, the size limit), and holds
 * the response back until its audit record is stored: the response is buffered, the record written
 * (group commit), and only then is the response sent. If the record cannot be stored, the client gets
 * {@code 503} instead of the result, so no client ever receives an answer that is not in the trail.
 */
final class AuditFilter extends OncePerRequestFilter {

    private static final Logger LOG = LoggerFactory.getLogger(AuditFilter.class);

    private final AuditWriter writer;
    private final BalpAuditEvents balp;
    private final FhirContext fhirContext;
    private final String fhirPath;

    AuditFilter(AuditWriter writer, BalpAuditEvents balp, FhirContext fhirContext, String fhirPath) {
        this.writer = writer;
        this.balp = balp;
        this.fhirContext = fhirContext;
        this.fhirPath = fhirPath;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return !(path.equals(fhirPath) || path.startsWith(fhirPath + "/"));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        RequestAudit audit = RequestAudit.start(request);
        HeldResponse held = new HeldResponse(response);
        try {
            chain.doFilter(request, held);
        } catch (IOException | ServletException | RuntimeException e) {
            audit.failure = Optional.of(String.valueOf(e.getMessage()));
            record(audit, request, held, HttpServletResponse.SC_INTERNAL_SERVER_ERROR);
            throw e;
        }
        try {
            record(audit, request, held, held.getStatus());
        } catch (AuditWriteException e) {
            LOG.error("Response withheld: its audit record could not be stored", e);
            held.resetBuffer();
            writeUnavailable(response);
            return;
        }
        held.copyBodyToResponse();
    }

    private void record(RequestAudit audit, HttpServletRequest request, HeldResponse response, int status) {
        if (audit.failure.isEmpty() && status >= 400) {
            audit.failure = diagnostics(response);
        }
        if (audit.resources.isEmpty()) {
            Optional.ofNullable(response.getHeader("Location"))
                    .or(() -> Optional.ofNullable(response.getHeader("Content-Location")))
                    .flatMap(this::typeAndId)
                    .ifPresent(audit.resources::add);
        }
        AuditRecord.Requester requester = audit.requester != null
                ? audit.requester
                : new AuditRecord.Requester(
                        Optional.empty(), Optional.empty(), Optional.empty(), "TREAT", request.getRemoteAddr());
        String requestId = Optional.ofNullable(response.getHeader("X-Request-ID"))
                .orElseGet(() -> UUID.randomUUID().toString());
        AuditRecord record = new AuditRecord(
                requestId,
                audit.started,
                Instant.now(),
                audit.interaction != null ? audit.interaction : guessInteraction(request),
                audit.operation,
                audit.resourceType,
                List.copyOf(audit.resources),
                List.copyOf(audit.patients),
                audit.query,
                status,
                audit.failure,
                requester,
                audit.consent);
        writer.write(balp.toAuditEvent(record));
    }

    /** The diagnostics of an OperationOutcome the response carries, for failures outside HAPI (401, 413). */
    private Optional<String> diagnostics(HeldResponse response) {
        byte[] body = response.getContentAsByteArray();
        String contentType = response.getContentType();
        if (body.length == 0 || body.length > 65_536 || contentType == null || !contentType.contains("json")) {
            return Optional.empty();
        }
        try {
            OperationOutcome outcome = fhirContext
                    .newJsonParser()
                    .parseResource(OperationOutcome.class, new String(body, StandardCharsets.UTF_8));
            return Optional.ofNullable(outcome.getIssueFirstRep().getDiagnostics());
        } catch (RuntimeException notAnOutcome) {
            return Optional.empty();
        }
    }

    private Optional<String> typeAndId(String location) {
        String[] parts = location.split("\\?")[0].split("/");
        for (int i = parts.length - 2; i >= 0; i--) {
            if (!parts[i].isEmpty() && Character.isUpperCase(parts[i].charAt(0)) && !parts[i + 1].startsWith("_")) {
                return Optional.of(parts[i] + "/" + parts[i + 1]);
            }
        }
        return Optional.empty();
    }

    /** The interaction of a request that never reached the FHIR layer, from its method and path. */
    private String guessInteraction(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length() + fhirPath.length());
        String[] segments = path.replaceAll("^/+", "").split("/");
        boolean root = segments.length == 1 && segments[0].isEmpty();
        if (path.contains("$")) {
            return "operation";
        }
        if (path.contains("_history")) {
            return root ? "history-system" : segments.length <= 2 ? "history-type" : "history-instance";
        }
        if (!root && segments[0].equals("metadata")) {
            return "capabilities";
        }
        return switch (request.getMethod()) {
            case "POST" -> root ? "transaction" : segments.length == 1 ? "create" : "search-type";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> "delete";
            default -> root ? "search-system" : segments.length == 1 ? "search-type" : "read";
        };
    }

    private void writeUnavailable(HttpServletResponse response) throws IOException {
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue()
                .setSeverity(IssueSeverity.ERROR)
                .setCode(IssueType.TRANSIENT)
                .setDiagnostics(InterceptorErrors.AUDIT_UNAVAILABLE.message(
                        "the audit record of this request could not be stored, so its result is withheld; a write"
                                + " it asked for may have been carried out. Retry later."));
        response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
        response.setContentType("application/fhir+json;charset=UTF-8");
        response.getOutputStream()
                .write(fhirContext
                        .newJsonParser()
                        .encodeResourceToString(outcome)
                        .getBytes(StandardCharsets.UTF_8));
    }

    /** Holds the body back, also through {@code sendError}, until the audit record is stored. */
    private static final class HeldResponse extends ContentCachingResponseWrapper {

        HeldResponse(HttpServletResponse response) {
            super(response);
        }

        @Override
        public void sendError(int status) {
            setStatus(status);
        }

        @Override
        public void sendError(int status, String message) {
            setStatus(status);
        }
    }
}
