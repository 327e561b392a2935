package health.vigil.server.security;

import java.util.List;

/** Security settings the server will not start with; each problem names its key. */
final class InvalidSecuritySettingsException extends IllegalStateException {

    private final List<String> problems;

    InvalidSecuritySettingsException(List<String> problems) {
        super("Invalid security settings: " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    List<String> problems() {
        return problems;
    }
}
