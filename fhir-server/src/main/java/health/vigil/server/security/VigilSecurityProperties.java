package health.vigil.server.security;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Security settings of the Vigil server ({@code vigil.security.*}): SMART App Launch 2.x with bearer
 * tokens from an OpenID Connect issuer (a Keycloak realm), or no authentication for local development.
 * Checked before the server starts ({@link SecuritySettings}); a missing or inconsistent value stops the
 * start with a message naming the key.
 *
 * @param mode {@code smart} (bearer tokens) or {@code open} (no authentication, loopback only); unset,
 *     {@code open} when {@code server.address} is a loopback address, {@code smart} otherwise
 * @param issuer the token issuer, exactly as the {@code iss} claim carries it (for Keycloak
 *     {@code https://host/realms/<realm>}); required in {@code smart} mode
 * @param fhirBaseUrl the FHIR base URL clients use (e.g. {@code https://fhir.example.org/fhir}); every
 *     token's {@code aud} must contain it; required in {@code smart} mode
 * @param issuerBackchannelUrl where this server itself reaches the issuer (keys, introspection) when that
 *     differs from {@code issuer}, e.g. {@code http://keycloak:8080/realms/vigil} inside Docker; default
 *     {@code issuer}
 * @param endpoints the issuer's OAuth endpoints; each unset one is derived from the issuer by Keycloak's
 *     layout
 * @param introspection revocation checks by token introspection (RFC 7662)
 * @param jwsAlgorithms the signature algorithms accepted on tokens (default RS256, RS384, ES256, ES384,
 *     PS256); {@code none} and HMAC are never accepted
 * @param clockSkew tolerance on {@code exp} and {@code nbf} for clock differences (default 30s)
 * @param keyCache how long the issuer's signing keys are kept before they are fetched again (default
 *     5m); a key id the cache does not know triggers a fetch at once
 * @param keyOutageTolerance how long cached keys keep validating tokens while the issuer cannot be
 *     reached (default 24h)
 * @param cors cross-origin access for browser apps
 * @param smart what {@code /.well-known/smart-configuration} and the CapabilityStatement advertise
 */
@Validated
@ConfigurationProperties(prefix = "vigil.security")
public record VigilSecurityProperties(
        Mode mode,
        @DefaultValue("") String issuer,
        @DefaultValue("") String fhirBaseUrl,
        @DefaultValue("") String issuerBackchannelUrl,
        @NotNull @Valid @DefaultValue Endpoints endpoints,
        @NotNull @Valid @DefaultValue Introspection introspection,
        @NotNull @DefaultValue({"RS256", "RS384", "ES256", "ES384", "PS256"}) List<String> jwsAlgorithms,
        @NotNull @DefaultValue("30s") Duration clockSkew,
        @NotNull @DefaultValue("5m") Duration keyCache,
        @NotNull @DefaultValue("24h") Duration keyOutageTolerance,
        @NotNull @Valid @DefaultValue Cors cors,
        @NotNull @Valid @DefaultValue Smart smart) {

    /** How requests are authenticated. */
    public enum Mode {
        /** Bearer tokens from the configured issuer, SMART scopes enforced. */
        SMART,
        /** No authentication: local development on a loopback address only. */
        OPEN
    }

    /**
     * The issuer's endpoints. Unset ones follow Keycloak's layout under the issuer (or, for the
     * server's own calls, under {@code issuer-backchannel-url}):
     *
     * @param authorization {@code {issuer}/protocol/openid-connect/auth}
     * @param token {@code {issuer}/protocol/openid-connect/token}
     * @param revocation {@code {issuer}/protocol/openid-connect/revoke}
     * @param introspection {@code {backchannel}/protocol/openid-connect/token/introspect}
     * @param jwks {@code {backchannel}/protocol/openid-connect/certs}
     * @param management where users manage their authorizations, {@code {issuer}/account}
     */
    public record Endpoints(
            @DefaultValue("") String authorization,
            @DefaultValue("") String token,
            @DefaultValue("") String revocation,
            @DefaultValue("") String introspection,
            @DefaultValue("") String jwks,
            @DefaultValue("") String management) {}

    /**
     * Token introspection at the issuer, so a revoked token stops working. Each token's answer is cached
     * for {@code cache-ttl}: a revocation takes effect within that time.
     *
     * @param enabled check every token by introspection (default true)
     * @param clientId the client this server introspects as (Keycloak: the client must be in the tokens'
     *     audience); required when enabled
     * @param clientSecret that client's secret; required when enabled
     * @param cacheTtl how long an answer is reused (default 30s; 0 asks every time)
     * @param whenUnavailable what a token is worth while the issuer cannot be reached: {@code ACCEPT}
     *     (default) keeps serving tokens whose signature, issuer, audience and expiry are valid;
     *     {@code REJECT} refuses them with 401
     */
    public record Introspection(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("") String clientId,
            @DefaultValue("") String clientSecret,
            @NotNull @DefaultValue("30s") Duration cacheTtl,
            @NotNull @DefaultValue("ACCEPT") WhenUnavailable whenUnavailable) {

        /** What happens to locally valid tokens while introspection fails. */
        public enum WhenUnavailable {
            ACCEPT,
            REJECT
        }
    }

    /**
     * @param allowedOrigins origins browser apps may call the API from (default {@code *}: any origin;
     *     tokens are sent as headers, never as cookies, so no credentials are allowed cross-origin)
     * @param maxAge how long browsers may cache a preflight answer (default 1h)
     */
    public record Cors(
            @NotNull @DefaultValue("*") List<String> allowedOrigins, @NotNull @DefaultValue("1h") Duration maxAge) {}

    /**
     * @param capabilities SMART capabilities advertised
     * @param scopesSupported scopes advertised in {@code scopes_supported}; every one must exist at the
     *     issuer (Keycloak refuses a request that asks for an unknown scope)
     * @param grantTypes OAuth grant types advertised
     * @param tokenEndpointAuthMethods client authentication methods advertised at the token endpoint
     * @param tokenEndpointAuthSigningAlgorithms algorithms advertised for {@code private_key_jwt}
     *     client assertions
     */
    public record Smart(
            @NotNull
                    @DefaultValue({
                        "launch-standalone",
                        "client-public",
                        "client-confidential-symmetric",
                        "client-confidential-asymmetric",
                        "context-standalone-patient",
                        "context-banner",
                        "context-style",
                        "sso-openid-connect",
                        "permission-offline",
                        "permission-patient",
                        "permission-user",
                        "permission-v1",
                        "permission-v2"
                    })
                    List<String> capabilities,
            @NotNull
                    @DefaultValue({
                        "openid",
                        "fhirUser",
                        "launch/patient",
                        "offline_access",
                        "online_access",
                        "patient/*.rs",
                        "patient/*.cruds",
                        "patient/*.read",
                        "patient/*.write",
                        "patient/*.*",
                        "user/*.rs",
                        "user/*.cruds",
                        "user/*.read",
                        "user/*.write",
                        "user/*.*",
                        "system/*.rs",
                        "system/*.cruds",
                        "system/*.read",
                        "system/*.write",
                        "system/*.*"
                    })
                    List<String> scopesSupported,
            @NotNull @DefaultValue({"authorization_code", "client_credentials", "refresh_token"})
                    List<String> grantTypes,
            @NotNull @DefaultValue({"client_secret_basic", "client_secret_post", "private_key_jwt"})
                    List<String> tokenEndpointAuthMethods,
            @NotNull @DefaultValue({"RS384", "ES384"}) List<String> tokenEndpointAuthSigningAlgorithms) {}

    /** The issuer's endpoint for {@code path} under Keycloak's layout, unless configured. */
    String publicEndpoint(String configured, String path) {
        return configured.isBlank() ? trimSlash(issuer) + path : configured;
    }

    /** An endpoint this server calls itself: under {@code issuer-backchannel-url} when set. */
    String backchannelEndpoint(String configured, String path) {
        if (!configured.isBlank()) {
            return configured;
        }
        String base = issuerBackchannelUrl.isBlank() ? issuer : issuerBackchannelUrl;
        return trimSlash(base) + path;
    }

    String authorizationEndpoint() {
        return publicEndpoint(endpoints.authorization(), "/protocol/openid-connect/auth");
    }

    String tokenEndpoint() {
        return publicEndpoint(endpoints.token(), "/protocol/openid-connect/token");
    }

    String revocationEndpoint() {
        return publicEndpoint(endpoints.revocation(), "/protocol/openid-connect/revoke");
    }

    String managementEndpoint() {
        return publicEndpoint(endpoints.management(), "/account");
    }

    /** The introspection endpoint as advertised to clients. */
    String introspectionEndpoint() {
        return publicEndpoint(endpoints.introspection(), "/protocol/openid-connect/token/introspect");
    }

    /** The introspection endpoint this server calls. */
    String introspectionBackchannel() {
        return backchannelEndpoint(endpoints.introspection(), "/protocol/openid-connect/token/introspect");
    }

    /** The signing keys as advertised to clients ({@code jwks_uri}). */
    String jwksEndpoint() {
        return publicEndpoint(endpoints.jwks(), "/protocol/openid-connect/certs");
    }

    /** The signing keys this server fetches. */
    String jwksBackchannel() {
        return backchannelEndpoint(endpoints.jwks(), "/protocol/openid-connect/certs");
    }

    static boolean isHttpUrl(String value) {
        try {
            URI uri = URI.create(value);
            return (uri.getScheme() != null
                            && (uri.getScheme().equals("https")
                                    || uri.getScheme().equals("http")))
                    && uri.getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String trimSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
