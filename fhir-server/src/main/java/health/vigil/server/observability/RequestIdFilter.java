package health.vigil.server.observability;

import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.server.ServletRequestTracing;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import org.slf4j.MDC;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Gives every request an id: the client's {@code X-Request-ID} when it is a safe token, otherwise a
 * new one. The id is echoed in the {@code X-Request-ID} response header, put in the logging context
 * ({@code requestId}) for every log line of the request, and shared with HAPI's own request tracing,
 * so FHIR and non-FHIR endpoints (actuator) report the same id.
 */
final class RequestIdFilter extends OncePerRequestFilter {

    static final String MDC_KEY = "requestId";

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String requestId = ServletRequestTracing.getOrGenerateRequestId(request);
        response.setHeader(Constants.HEADER_REQUEST_ID, requestId);
        MDC.put(MDC_KEY, requestId);
        try {
            chain.doFilter(request, new SingleRequestIdHeader(response));
        } finally {
            MDC.remove(MDC_KEY);
        }
    }

    /** HAPI adds the request id header again on FHIR responses; keep exactly one. */
    private static final class SingleRequestIdHeader extends HttpServletResponseWrapper {

        SingleRequestIdHeader(HttpServletResponse response) {
            super(response);
        }

        @Override
        public void addHeader(String name, String value) {
            if (Constants.HEADER_REQUEST_ID.equalsIgnoreCase(name)) {
                super.setHeader(name, value);
            } else {
                super.addHeader(name, value);
            }
        }
    }
}
