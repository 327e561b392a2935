package health.vigil.interceptors.authorization;

/** What one scope string of a token turned out to be. */
sealed interface ParsedScope {

    /** The scope as the token carried it. */
    String text();

    /** A SMART resource scope that grants access. */
    record Resource(SmartScope scope) implements ParsedScope {
        @Override
        public String text() {
            return scope.text();
        }
    }

    /** Not about resources ({@code openid}, {@code fhirUser}, {@code launch/patient}): grants no data. */
    record Other(String text) implements ParsedScope {}

    /** Looks like a resource scope but is not a valid one: grants nothing (fail closed). */
    record Invalid(String text, String reason) implements ParsedScope {}
}
