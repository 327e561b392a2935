package health.vigil.interceptors.authorization;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One SMART resource scope, parsed: {@code patient/Observation.rs?category=vital-signs} is context
 * {@link Context#PATIENT}, type {@code Observation}, permissions {@code r} and {@code s}, one filter.
 *
 * @param context whose data the scope reaches
 * @param resourceType the FHIR resource type, or empty for {@code *} (every type)
 * @param permissions what the scope allows; v1 {@code read} is {@code rs}, {@code write} is {@code cud}
 * @param filters the granular {@code ?param=value} restrictions, all of which a resource must match
 * @param text the scope as the token carried it
 */
record SmartScope(
        Context context,
        Optional<String> resourceType,
        Set<Permission> permissions,
        List<Filter> filters,
        String text) {

    SmartScope {
        permissions = Set.copyOf(permissions);
        filters = List.copyOf(filters);
    }

    boolean allows(Permission permission) {
        return permissions.contains(permission);
    }

    boolean coversAllTypes() {
        return resourceType.isEmpty();
    }

    boolean covers(String type) {
        return resourceType.map(type::equals).orElse(true);
    }

    /** The filters as a FHIR query string ({@code a=1&b=2}), as HAPI's filter rules take them. */
    String filterQuery() {
        return String.join(
                "&", filters.stream().map(f -> f.name() + "=" + f.value()).toList());
    }

    /** Whose data a scope reaches: the SMART scope's first segment. */
    enum Context {
        /** {@code patient/}: the launch patient's compartment. */
        PATIENT,
        /** {@code user/}: whatever the signed-in user ({@code fhirUser}) may see. */
        USER,
        /** {@code system/}: a backend service acting for itself, with no user. */
        SYSTEM
    }

    /** SMART v2 permissions, in the order the scope syntax requires: {@code c r u d s}. */
    enum Permission {
        CREATE('c'),
        READ('r'),
        UPDATE('u'),
        DELETE('d'),
        SEARCH('s');

        final char letter;

        Permission(char letter) {
            this.letter = letter;
        }
    }

    /** A granular scope restriction, {@code name=value}: the resource must match it as a search would. */
    record Filter(String name, String value) {}
}
