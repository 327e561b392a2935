package health.vigil.server.security;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The SMART App Launch 2.x discovery document ({@code .well-known/smart-configuration}), built from
 * configuration rather than copied from the issuer's OpenID discovery: Keycloak advertises
 * {@code plain} PKCE, SMART allows only {@code S256}.
 */
final class SmartConfiguration {

    private SmartConfiguration() {}

    /** The document's fields, in the order of the SMART App Launch specification. */
    static Map<String, Object> of(VigilSecurityProperties properties) {
        VigilSecurityProperties.Smart smart = properties.smart();
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("issuer", properties.issuer());
        document.put("jwks_uri", properties.jwksEndpoint());
        document.put("authorization_endpoint", properties.authorizationEndpoint());
        document.put("grant_types_supported", smart.grantTypes());
        document.put("token_endpoint", properties.tokenEndpoint());
        document.put("token_endpoint_auth_methods_supported", smart.tokenEndpointAuthMethods());
        document.put("token_endpoint_auth_signing_alg_values_supported", smart.tokenEndpointAuthSigningAlgorithms());
        document.put("scopes_supported", smart.scopesSupported());
        document.put("response_types_supported", List.of("code"));
        document.put("management_endpoint", properties.managementEndpoint());
        document.put("introspection_endpoint", properties.introspectionEndpoint());
        document.put("revocation_endpoint", properties.revocationEndpoint());
        document.put("capabilities", smart.capabilities());
        document.put("code_challenge_methods_supported", List.of("S256"));
        return document;
    }
}
