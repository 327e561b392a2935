package health.vigil.server.security;

import health.vigil.server.security.VigilSecurityProperties.Mode;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Decides the security mode the server runs in and refuses settings it cannot run safely with: an
 * {@code open} server on a non-loopback address, or {@code smart} without what token validation needs.
 * Runs before the server starts, so a wrong setting stops it at once with the key to fix.
 */
final class SecuritySettings {

    private static final Set<String> NEVER_ACCEPTED = Set.of("none", "HS256", "HS384", "HS512");

    private SecuritySettings() {}

    /**
     * The mode to run in.
     *
     * @param serverAddress {@code server.address}; blank means every interface
     * @throws InvalidSecuritySettingsException naming each setting that is missing or inconsistent
     */
    static Mode effectiveMode(VigilSecurityProperties properties, String serverAddress) {
        boolean loopback = isLoopback(serverAddress);
        Mode mode = properties.mode() != null ? properties.mode() : loopback ? Mode.OPEN : Mode.SMART;
        String shownAddress = serverAddress == null || serverAddress.isBlank() ? "(every interface)" : serverAddress;
        if (mode == Mode.OPEN && !loopback) {
            throw new InvalidSecuritySettingsException(List.of("vigil.security.mode=open serves the FHIR API without"
                    + " authentication and is only allowed on a loopback address, but server.address is "
                    + shownAddress + ". Set server.address=127.0.0.1, or vigil.security.mode=smart with an issuer."));
        }
        if (mode == Mode.SMART) {
            List<String> problems = smartProblems(properties);
            if (!problems.isEmpty()) {
                throw new InvalidSecuritySettingsException(problems);
            }
        }
        return mode;
    }

    private static List<String> smartProblems(VigilSecurityProperties properties) {
        List<String> problems = new ArrayList<>();
        if (properties.issuer().isBlank()) {
            problems.add("vigil.security.issuer must be set in smart mode: the token issuer exactly as the iss"
                    + " claim carries it, e.g. https://id.example.org/realms/vigil");
        } else if (!VigilSecurityProperties.isHttpUrl(properties.issuer())) {
            problems.add("vigil.security.issuer must be an http(s) URL, was '" + properties.issuer() + "'");
        }
        if (properties.fhirBaseUrl().isBlank()) {
            problems.add("vigil.security.fhir-base-url must be set in smart mode: the FHIR base URL clients use"
                    + " (tokens must carry it as audience), e.g. https://fhir.example.org/fhir");
        } else if (!VigilSecurityProperties.isHttpUrl(properties.fhirBaseUrl())) {
            problems.add("vigil.security.fhir-base-url must be an http(s) URL, was '" + properties.fhirBaseUrl() + "'");
        }
        if (!properties.issuerBackchannelUrl().isBlank()
                && !VigilSecurityProperties.isHttpUrl(properties.issuerBackchannelUrl())) {
            problems.add("vigil.security.issuer-backchannel-url must be an http(s) URL, was '"
                    + properties.issuerBackchannelUrl() + "'");
        }
        VigilSecurityProperties.Introspection introspection = properties.introspection();
        if (introspection.enabled()) {
            if (introspection.clientId().isBlank()) {
                problems.add("vigil.security.introspection.client-id must be set while introspection is enabled"
                        + " (or set vigil.security.introspection.enabled=false and rely on short token lifetimes)");
            }
            if (introspection.clientSecret().isBlank()) {
                problems.add("vigil.security.introspection.client-secret must be set while introspection is enabled");
            }
            if (introspection.cacheTtl().isNegative()) {
                problems.add("vigil.security.introspection.cache-ttl must not be negative");
            }
        }
        if (properties.jwsAlgorithms().isEmpty()) {
            problems.add("vigil.security.jws-algorithms must name at least one algorithm, e.g. RS256");
        }
        for (String algorithm : properties.jwsAlgorithms()) {
            if (NEVER_ACCEPTED.contains(algorithm) || !algorithm.matches("(RS|PS|ES)(256|384|512)")) {
                problems.add("vigil.security.jws-algorithms may hold RS256/384/512, PS256/384/512 and"
                        + " ES256/384/512 only, not '" + algorithm + "'");
            }
        }
        if (properties.keyCache().compareTo(Duration.ofSeconds(1)) < 0) {
            problems.add("vigil.security.key-cache must be at least 1s, was " + properties.keyCache());
        }
        if (properties.keyOutageTolerance().isNegative()) {
            problems.add("vigil.security.key-outage-tolerance must not be negative");
        }
        if (properties.clockSkew().isNegative() || properties.clockSkew().toMinutes() > 5) {
            problems.add("vigil.security.clock-skew must be between 0s and 5m, was " + properties.clockSkew());
        }
        if (properties.smart().capabilities().contains("client-public")
                && !properties.smart().grantTypes().contains("authorization_code")) {
            problems.add("vigil.security.smart.capabilities lists client-public but"
                    + " vigil.security.smart.grant-types lacks authorization_code");
        }
        return problems;
    }

    /** Whether the address is loopback only; blank (every interface) is not. Names are resolved locally. */
    static boolean isLoopback(String address) {
        if (address == null || address.isBlank()) {
            return false;
        }
        try {
            InetAddress[] resolved = InetAddress.getAllByName(address.trim());
            for (InetAddress candidate : resolved) {
                if (!candidate.isLoopbackAddress()) {
                    return false;
                }
            }
            return resolved.length > 0;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
