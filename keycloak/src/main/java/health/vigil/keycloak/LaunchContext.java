package health.vigil.keycloak;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The SMART launch context of one token: what {@link SmartLaunchContextMapper} adds to the access
 * token and to the token response. Plain Java, so it is tested without a Keycloak server.
 *
 * @param patient the FHIR id of the patient in context, when the user has one
 * @param needPatientBanner whether the app must show a patient banner
 * @param styleUrl where the app finds the host's style parameters, when configured
 */
record LaunchContext(Optional<String> patient, boolean needPatientBanner, Optional<String> styleUrl) {

    /** Mapper setting: the user attribute that holds the patient's FHIR id. */
    static final String PATIENT_ATTRIBUTE = "smart.patient.attribute";

    /** Mapper setting: {@code true} or {@code false}, the value of {@code need_patient_banner}. */
    static final String NEED_PATIENT_BANNER = "smart.need.patient.banner";

    /** Mapper setting: an absolute http(s) URL, the value of {@code smart_style_url}; optional. */
    static final String STYLE_URL = "smart.style.url";

    /** The user attribute read when {@link #PATIENT_ATTRIBUTE} is not set. */
    static final String DEFAULT_PATIENT_ATTRIBUTE = "fhirPatient";

    /** The FHIR R4 id datatype. */
    private static final Pattern FHIR_ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");

    /**
     * The launch context for one user.
     *
     * @param config the mapper's configuration
     * @param userAttribute the user's first value of an attribute, or {@code null}
     * @return the context; its patient is empty when the attribute is missing or not a FHIR id
     */
    static LaunchContext of(Map<String, String> config, Function<String, String> userAttribute) {
        String attribute = patientAttribute(config);
        Optional<String> patient = Optional.ofNullable(userAttribute.apply(attribute))
                .map(String::trim)
                .filter(id -> FHIR_ID.matcher(id).matches());
        boolean banner = !"false".equalsIgnoreCase(blankToNull(config.get(NEED_PATIENT_BANNER)));
        return new LaunchContext(patient, banner, Optional.ofNullable(blankToNull(config.get(STYLE_URL))));
    }

    /** The user attribute this configuration reads the patient's id from. */
    static String patientAttribute(Map<String, String> config) {
        String attribute = blankToNull(config.get(PATIENT_ATTRIBUTE));
        return attribute == null ? DEFAULT_PATIENT_ATTRIBUTE : attribute;
    }

    /**
     * What is wrong with a mapper configuration.
     *
     * @return a message for the administrator, or empty when the configuration is valid
     */
    static Optional<String> problem(Map<String, String> config) {
        String banner = blankToNull(config.get(NEED_PATIENT_BANNER));
        if (banner != null && !banner.equalsIgnoreCase("true") && !banner.equalsIgnoreCase("false")) {
            return Optional.of(NEED_PATIENT_BANNER + " must be true or false");
        }
        String style = blankToNull(config.get(STYLE_URL));
        if (style != null && !isAbsoluteHttpUrl(style)) {
            return Optional.of(STYLE_URL + " must be an absolute http or https URL");
        }
        return Optional.empty();
    }

    /** The claims for the access token (and token introspection): {@code patient}. */
    Map<String, Object> tokenClaims() {
        Map<String, Object> claims = new LinkedHashMap<>();
        patient.ifPresent(id -> claims.put("patient", id));
        return claims;
    }

    /**
     * The parameters beside the access token in the token response: {@code patient}, {@code
     * need_patient_banner} and {@code smart_style_url}.
     */
    Map<String, Object> tokenResponseParameters() {
        Map<String, Object> parameters = tokenClaims();
        parameters.put("need_patient_banner", needPatientBanner);
        styleUrl.ifPresent(url -> parameters.put("smart_style_url", url));
        return parameters;
    }

    private static boolean isAbsoluteHttpUrl(String value) {
        try {
            URI uri = new URI(value);
            return uri.getHost() != null && ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()));
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
