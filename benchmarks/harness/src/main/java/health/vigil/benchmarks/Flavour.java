package health.vigil.benchmarks;

import java.util.List;

/** The servers compared: the same jar, started with different settings. */
enum Flavour {
    /** Vigil with its default settings: Vigil's storage tuning and vital-signs validation. */
    VIGIL("Vigil", List.of()),

    /**
     * HAPI FHIR's default {@code JpaStorageSettings}, without Vigil's vital-signs validation (a Vigil
     * feature HAPI does not have).
     */
    VANILLA(
            "vanilla HAPI",
            List.of(
                    "--vigil.server.tuning=HAPI_DEFAULTS",
                    "--vigil.server.validation.vital-signs=false",
                    "--vigil.audit.enabled=false")),

    /** Vigil in {@code smart} mode with consent and audit on (its defaults). */
    PRIVACY_ON("consent + audit on", List.of()),

    /** Vigil in {@code smart} mode with consent enforcement and the audit trail switched off. */
    PRIVACY_OFF("consent + audit off", List.of("--vigil.consent.enabled=false", "--vigil.audit.enabled=false"));

    private final String label;
    private final List<String> serverArguments;

    Flavour(String label, List<String> serverArguments) {
        this.label = label;
        this.serverArguments = serverArguments;
    }

    String label() {
        return label;
    }

    /** Arguments that select this flavour, added to the server's command line. */
    List<String> serverArguments() {
        return serverArguments;
    }
}
