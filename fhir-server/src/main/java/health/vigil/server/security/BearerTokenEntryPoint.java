package health.vigil.server.security;

import health.vigil.server.VigilErrors;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.web.AuthenticationEntryPoint;

/**
 * Answers a request without a valid token: 401 with {@code WWW-Authenticate: Bearer ...} (RFC 6750, as
 * Spring Security's entry point writes it, with the reason) and an OperationOutcome that says what was
 * wrong.
 */
final class BearerTokenEntryPoint implements AuthenticationEntryPoint {

    private final BearerTokenAuthenticationEntryPoint header = new BearerTokenAuthenticationEntryPoint();
    private final OperationOutcomeResponses outcomes;

    BearerTokenEntryPoint(OperationOutcomeResponses outcomes) {
        this.outcomes = outcomes;
        header.setRealmName("vigil");
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException failure)
            throws IOException {
        header.commence(request, response, failure);
        String message = request.getHeader("Authorization") == null
                ? VigilErrors.TOKEN_MISSING.message(
                        "this request needs an access token: send it as Authorization: Bearer <token>")
                : VigilErrors.TOKEN_REFUSED.message("the access token was refused: " + failure.getMessage());
        outcomes.write(response, HttpServletResponse.SC_UNAUTHORIZED, "login", message);
    }
}
