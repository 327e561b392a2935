package health.vigil.server.security;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import health.vigil.interceptors.api.AccessContext;
import health.vigil.interceptors.api.AccessContextResolver;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * The caller of a FHIR request, from the bearer token Spring Security verified on this thread:
 * {@code scope} (or {@code scp}), {@code patient}, {@code fhirUser}, {@code azp} (or {@code client_id}),
 * {@code sub}, and the user's roles from Keycloak's {@code realm_access.roles} or a plain {@code roles}
 * claim.
 */
final class JwtAccessContextResolver implements AccessContextResolver {

    @Override
    public Optional<AccessContext> resolve(RequestDetails request) {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (!(authentication instanceof JwtAuthenticationToken token)) {
            return Optional.empty();
        }
        return Optional.of(accessContext(token.getToken()));
    }

    static AccessContext accessContext(Jwt jwt) {
        String clientId = Optional.ofNullable(jwt.getClaimAsString("azp"))
                .or(() -> Optional.ofNullable(jwt.getClaimAsString("client_id")))
                .orElse("");
        String subject = Optional.ofNullable(jwt.getSubject()).orElse(clientId);
        return new AccessContext(
                subject,
                clientId,
                scopes(jwt),
                Optional.ofNullable(jwt.getClaimAsString("patient")),
                Optional.ofNullable(jwt.getClaimAsString("fhirUser")),
                roles(jwt));
    }

    private static Set<String> roles(Jwt jwt) {
        Set<String> roles = new LinkedHashSet<>();
        Object realmAccess = jwt.getClaim("realm_access");
        if (realmAccess instanceof Map<?, ?> access && access.get("roles") instanceof Collection<?> list) {
            list.forEach(role -> roles.add(String.valueOf(role)));
        }
        if (jwt.getClaim("roles") instanceof Collection<?> list) {
            list.forEach(role -> roles.add(String.valueOf(role)));
        }
        return roles;
    }

    private static Set<String> scopes(Jwt jwt) {
        Object scope = jwt.getClaim("scope");
        if (scope == null) {
            scope = jwt.getClaim("scp");
        }
        Set<String> scopes = new LinkedHashSet<>();
        if (scope instanceof String text) {
            scopes.addAll(Arrays.asList(text.trim().split("\\s+")));
        } else if (scope instanceof Collection<?> list) {
            list.forEach(item -> scopes.add(String.valueOf(item)));
        }
        scopes.remove("");
        return scopes;
    }
}
