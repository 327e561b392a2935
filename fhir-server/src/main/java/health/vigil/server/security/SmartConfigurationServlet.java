package health.vigil.server.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Serves the SMART configuration at {@code [base]/.well-known/smart-configuration} (and at the server
 * root), unauthenticated, as {@code application/json}. The document never changes while the server
 * runs, so it is rendered once.
 */
final class SmartConfigurationServlet extends HttpServlet {

    private final byte[] document;

    SmartConfigurationServlet(Map<String, Object> configuration) {
        try {
            this.document = new ObjectMapper().writeValueAsBytes(configuration);
        } catch (IOException e) {
            throw new IllegalStateException("The SMART configuration cannot be rendered as JSON", e);
        }
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType("application/json");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.setHeader("Cache-Control", "public, max-age=3600");
        response.getOutputStream().write(document);
    }
}
