package health.vigil.interceptors.authorization;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeResourceDefinition;
import ca.uhn.fhir.context.RuntimeSearchParam;
import ca.uhn.fhir.rest.api.RestSearchParameterTypeEnum;
import health.vigil.interceptors.authorization.SmartScope.Filter;
import health.vigil.interceptors.authorization.SmartScope.Permission;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Keeps searches within what a token may search, before they run:
 *
 * <ul>
 *   <li>the patient compartment a search must be confined to (HAPI's search narrowing adds it), so a
 *       patient-scoped {@code Observation?code=...} works instead of being refused;
 *   <li>the granular filter a search must be confined to ({@code category=vital-signs}), so a search under
 *       {@code patient/Observation.rs?category=vital-signs} returns the vital signs instead of failing on
 *       the first laboratory result;
 *   <li>search parameters that would reveal data the token may not search: {@code _has:Type:...} needs
 *       {@code s} on {@code Type}, a chain {@code subject:Patient.name} needs {@code s} on every type it
 *       passes through. Their results would not show that data, but whether a match exists would.
 * </ul>
 */
final class SearchConfinement {

    private final FhirContext fhirContext;
    private final AuthorizationRules rules;

    SearchConfinement(FhirContext fhirContext, AuthorizationRules rules) {
        this.fhirContext = fhirContext;
        this.rules = rules;
    }

    /**
     * The compartment ({@code Patient/123}) a search of {@code type} must be confined to, or empty when
     * the token may search it beyond one patient. With no type (a transaction's entries), the compartment
     * when every search grant of the token is confined to it.
     */
    Optional<String> compartment(AccessGrants access, Optional<String> type) {
        List<Reach> reaches = access.grants().stream()
                .filter(grant -> grant.allows(Permission.SEARCH))
                .filter(grant -> type.map(grant::covers).orElse(true))
                .map(grant -> effectiveReach(grant, type))
                .flatMap(Optional::stream)
                .toList();
        if (reaches.isEmpty() || reaches.stream().anyMatch(reach -> reach instanceof Reach.AnyResource)) {
            return Optional.empty();
        }
        return reaches.stream()
                .map(reach -> "Patient/" + ((Reach.PatientCompartment) reach).patientId())
                .findFirst();
    }

    /**
     * The filter to add to a search of {@code type}, when every grant that lets the token search it is
     * filtered on one and the same parameter: their values, or-joined. Empty when some grant is
     * unfiltered (nothing to add) or the filters cannot be combined into one query (then every result is
     * still checked against them, and a result outside them refuses the search).
     */
    Optional<Filter> filter(AccessGrants access, String type) {
        List<Grant> searchable = access.allowing(Permission.SEARCH, type).stream()
                .filter(grant -> effectiveReach(grant, Optional.of(type)).isPresent())
                .toList();
        if (searchable.isEmpty() || searchable.stream().anyMatch(grant -> !grant.isFiltered())) {
            return Optional.empty();
        }
        List<Filter> filters = searchable.stream()
                .flatMap(grant -> grant.scope().filters().stream())
                .toList();
        boolean oneFilterEach =
                searchable.stream().allMatch(grant -> grant.scope().filters().size() == 1);
        String name = filters.get(0).name();
        if (!oneFilterEach || filters.stream().anyMatch(filter -> !filter.name().equals(name))) {
            return Optional.empty();
        }
        // Or-joined with commas; a comma inside a value is escaped. (HAPI's escapeAndJoinOrList would also
        // escape the | of system|code, turning a coded filter into one that matches nothing.)
        List<String> values = filters.stream()
                .map(filter -> filter.value().replace("\\", "\\\\").replace(",", "\\,"))
                .distinct()
                .toList();
        return Optional.of(new Filter(name, String.join(",", values)));
    }

    /**
     * The first search parameter of a search of {@code type} that reaches data the token may not search,
     * with the type it reaches, or empty when all parameters are within the token's scopes.
     */
    Optional<String> deniedParameter(AccessGrants access, String type, Set<String> parameterNames) {
        for (String name : parameterNames) {
            List<String> reached = name.startsWith("_has:") ? hasTypes(name) : chainTypes(type, name);
            for (String target : reached) {
                if (!canSearch(access, target)) {
                    return Optional.of("'" + name + "' searches " + target);
                }
            }
        }
        return Optional.empty();
    }

    private boolean canSearch(AccessGrants access, String type) {
        if (type.equals("*")) {
            return access.wildcardReach(Permission.SEARCH).isPresent();
        }
        return access.allowing(Permission.SEARCH, type).stream()
                .anyMatch(grant -> effectiveReach(grant, Optional.of(type)).isPresent());
    }

    /** {@code _has:Observation:patient:_has:AuditEvent:entity:agent} reaches Observation and AuditEvent. */
    private static List<String> hasTypes(String name) {
        List<String> types = new ArrayList<>();
        String[] parts = name.split(":");
        for (int i = 0; i + 1 < parts.length; i++) {
            if (parts[i].equals("_has")) {
                types.add(parts[i + 1]);
            }
        }
        return types;
    }

    /**
     * The types a chained parameter passes through after the first: {@code subject:Patient.name} reaches
     * Patient; {@code subject.name} on Observation reaches every type {@code subject} may refer to, and
     * {@code *} when the parameter may refer to any type.
     */
    private List<String> chainTypes(String type, String name) {
        if (!name.contains(".")) {
            return List.of();
        }
        List<String> reached = new ArrayList<>();
        List<String> current = List.of(type);
        String[] links = name.split("\\.");
        for (int i = 0; i < links.length - 1; i++) {
            String link = links[i];
            String parameter = link.contains(":") ? link.substring(0, link.indexOf(':')) : link;
            String explicitType = link.contains(":") ? link.substring(link.indexOf(':') + 1) : null;
            List<String> next = new ArrayList<>();
            for (String from : current) {
                if (explicitType != null) {
                    next.add(explicitType);
                    continue;
                }
                if (from.equals("*")) {
                    next.add("*");
                    continue;
                }
                RuntimeResourceDefinition definition = fhirContext.getResourceDefinition(from);
                RuntimeSearchParam searchParam = definition.getSearchParam(parameter);
                if (searchParam == null
                        || searchParam.getParamType() != RestSearchParameterTypeEnum.REFERENCE
                        || searchParam.getTargets().isEmpty()) {
                    next.add("*");
                } else {
                    next.addAll(searchParam.getTargets());
                }
            }
            current = next.stream().distinct().toList();
            reached.addAll(current);
        }
        return reached.stream().distinct().toList();
    }

    /**
     * What a grant reaches for a type: patient grants reach reference data ({@link
     * AuthorizationRules#REFERENCE_TYPES}) beyond the compartment, and nothing of other types outside it.
     */
    private Optional<Reach> effectiveReach(Grant grant, Optional<String> type) {
        if (!(grant.reach() instanceof Reach.PatientCompartment) || type.isEmpty()) {
            return Optional.of(grant.reach());
        }
        if (AuthorizationRules.REFERENCE_TYPES.contains(type.get())) {
            return Optional.of(new Reach.AnyResource());
        }
        return rules.inPatientCompartment(type.get()) ? Optional.of(grant.reach()) : Optional.empty();
    }
}
