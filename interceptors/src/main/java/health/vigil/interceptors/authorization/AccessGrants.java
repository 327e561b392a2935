package health.vigil.interceptors.authorization;

import health.vigil.interceptors.api.AccessContext;
import health.vigil.interceptors.authorization.SmartScope.Context;
import health.vigil.interceptors.authorization.SmartScope.Permission;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What one caller's token grants: its valid resource scopes, each resolved to the resources it reaches.
 * Scopes that reach nothing are dropped here, so everything downstream only ever widens from nothing:
 *
 * <ul>
 *   <li>{@code patient/} scopes reach the token's {@code patient} compartment, and nothing without one;
 *   <li>{@code user/} scopes reach what the {@code fhirUser} may see: a Practitioner or PractitionerRole
 *       any resource, a Patient their own compartment, anyone else (or no {@code fhirUser}) nothing;
 *   <li>{@code system/} scopes reach any resource.
 * </ul>
 *
 * @param caller the verified caller
 * @param grants the resolved scopes, in the token's order
 * @param invalid the scopes that looked like resource scopes but did not parse (they grant nothing)
 */
record AccessGrants(AccessContext caller, List<Grant> grants, List<ParsedScope.Invalid> invalid) {

    AccessGrants {
        grants = List.copyOf(grants);
        invalid = List.copyOf(invalid);
    }

    static AccessGrants of(AccessContext caller, ScopeParser parser) {
        List<Grant> grants = new ArrayList<>();
        List<ParsedScope.Invalid> invalid = new ArrayList<>();
        for (String text : caller.scopes().stream().sorted().toList()) {
            ParsedScope parsed = parser.parse(text);
            if (parsed instanceof ParsedScope.Resource resource) {
                reach(resource.scope().context(), caller)
                        .ifPresent(reach -> grants.add(new Grant(resource.scope(), reach)));
            } else if (parsed instanceof ParsedScope.Invalid bad) {
                invalid.add(bad);
            }
        }
        return new AccessGrants(caller, grants, invalid);
    }

    private static Optional<Reach> reach(Context context, AccessContext caller) {
        return switch (context) {
            case PATIENT -> caller.patient().map(Reach.PatientCompartment::new);
            case SYSTEM -> Optional.of(new Reach.AnyResource());
            case USER -> caller.fhirUser().flatMap(AccessGrants::userReach);
        };
    }

    private static Optional<Reach> userReach(String fhirUser) {
        int slash = fhirUser.indexOf('/');
        if (slash <= 0) {
            return Optional.empty();
        }
        String id = fhirUser.substring(slash + 1);
        return switch (fhirUser.substring(0, slash)) {
            case "Practitioner", "PractitionerRole" -> Optional.of(new Reach.AnyResource());
            case "Patient" -> Optional.of(new Reach.PatientCompartment(id));
            default -> Optional.empty();
        };
    }

    /** The grants that give {@code permission} on {@code type}. */
    List<Grant> allowing(Permission permission, String type) {
        return grants.stream()
                .filter(grant -> grant.allows(permission) && grant.covers(type))
                .toList();
    }

    /** Whether some grant gives {@code permission} on {@code type}. */
    boolean allows(Permission permission, String type) {
        return !allowing(permission, type).isEmpty();
    }

    /**
     * The widest reach of the grants on every type ({@code *}) that give all of {@code permissions}:
     * any resource if one of them reaches any resource, else a patient compartment, else empty.
     */
    Optional<Reach> wildcardReach(Permission... permissions) {
        List<Reach> reaches = grants.stream()
                .filter(grant -> grant.scope().coversAllTypes())
                .filter(grant -> List.of(permissions).stream().allMatch(grant::allows))
                .map(Grant::reach)
                .toList();
        return reaches.stream()
                .filter(reach -> reach instanceof Reach.AnyResource)
                .findFirst()
                .or(() -> reaches.stream().findFirst());
    }
}
