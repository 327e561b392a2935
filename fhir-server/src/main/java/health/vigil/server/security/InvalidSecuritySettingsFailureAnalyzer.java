package health.vigil.server.security;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Reports refused security settings as Spring Boot's "APPLICATION FAILED TO START" box, one line a problem. */
final class InvalidSecuritySettingsFailureAnalyzer extends AbstractFailureAnalyzer<InvalidSecuritySettingsException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidSecuritySettingsException cause) {
        return new FailureAnalysis(
                "Vigil refused its security settings:\n  - " + String.join("\n  - ", cause.problems()),
                "Fix the settings named above (see docs/security.md and docs/configuration.md).",
                cause);
    }
}
