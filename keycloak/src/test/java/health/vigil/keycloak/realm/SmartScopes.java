package health.vigil.keycloak.realm;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SMART resource scopes the vigil realm offers: the documented list that {@link
 * RealmScopesGenerator} writes into {@code realm/vigil-realm.json} and {@link VigilRealmTest} holds it
 * to. Keycloak grants all or nothing, so a scope missing here fails every request that asks for it
 * with {@code invalid_scope}.
 *
 * <p>Contexts {@code patient}, {@code user}, {@code system}; every resource type of {@link
 * #RESOURCE_TYPES} (and {@code Binary} for {@code system} only); permissions {@link #PERMISSIONS}; plus
 * the granular scopes of {@link #GRANULAR}.
 */
final class SmartScopes {

    /** A SMART scope context, and the clients whose optional scopes are that context's scopes. */
    enum Context {
        PATIENT("patient", "of the patient in context", List.of("vigil-patient-app")),
        USER("user", "the user may see", List.of("vigil-clinician-app", "vigil-provider")),
        SYSTEM("system", "as a backend service", List.of("vigil-backend"));

        final String prefix;
        final String meaning;
        final List<String> clients;

        Context(String prefix, String meaning, List<String> clients) {
            this.prefix = prefix;
            this.meaning = meaning;
            this.clients = clients;
        }
    }

    /** Resource types with scopes in every context; {@code *} is all types. */
    static final List<String> RESOURCE_TYPES = List.of(
            "*",
            "Patient",
            "Observation",
            "Condition",
            "MedicationRequest",
            "MedicationStatement",
            "AllergyIntolerance",
            "Immunization",
            "Procedure",
            "DiagnosticReport",
            "DocumentReference",
            "Encounter",
            "CarePlan",
            "Goal",
            "Device",
            "Provenance",
            "Consent",
            "AuditEvent",
            "Task",
            "DetectedIssue",
            "Flag",
            "RiskAssessment");

    /** Resource types with scopes in the {@code system} context only. */
    static final List<String> SYSTEM_ONLY_RESOURCE_TYPES = List.of("Binary");

    /** SMART v2 permissions ({@code rs}, {@code cruds}), then SMART v1 ones ({@code read}, {@code write}, {@code *}). */
    static final List<String> PERMISSIONS = List.of("rs", "cruds", "read", "write", "*");

    /** SMART v2 granular scopes (a search parameter narrows the resources), in the patient context. */
    static final List<String> GRANULAR = List.of(
            "patient/Observation.rs?category=http://terminology.hl7.org/CodeSystem/observation-category|vital-signs",
            "patient/Observation.rs?category=http://terminology.hl7.org/CodeSystem/observation-category|laboratory");

    /** Any SMART resource scope, v1 or v2, with an optional {@code ?param=value} query: context, type, permissions, query. */
    static final Pattern SCOPE = Pattern.compile(
            "(patient|user|system)/(\\*|[A-Z][A-Za-z]+)\\.(read|write|\\*|(?=[cruds])c?r?u?d?s?)(\\?[^\\s?]+)?");

    private SmartScopes() {}

    /** The scopes of one context, in a stable order: type by type, permission by permission, then granular ones. */
    static List<String> of(Context context) {
        List<String> types = new ArrayList<>(RESOURCE_TYPES);
        if (context == Context.SYSTEM) {
            types.addAll(SYSTEM_ONLY_RESOURCE_TYPES);
        }
        List<String> scopes = new ArrayList<>();
        for (String type : types) {
            for (String permission : PERMISSIONS) {
                scopes.add(context.prefix + "/" + type + "." + permission);
            }
        }
        GRANULAR.stream()
                .filter(scope -> scope.startsWith(context.prefix + "/"))
                .forEach(scopes::add);
        return List.copyOf(scopes);
    }

    /** Every scope of every context. */
    static List<String> all() {
        List<String> scopes = new ArrayList<>();
        for (Context context : Context.values()) {
            scopes.addAll(of(context));
        }
        return List.copyOf(scopes);
    }

    /** Whether a client scope name is a SMART resource scope. */
    static boolean isSmartScope(String name) {
        return SCOPE.matcher(name).matches();
    }

    /** A sentence for the admin console and consent screen, e.g. "Read and search Observation resources of the patient in context". */
    static String description(String scope) {
        Matcher matcher = SCOPE.matcher(scope);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("not a SMART scope: " + scope);
        }
        Context context = Context.valueOf(matcher.group(1).toUpperCase(Locale.ROOT));
        String type = matcher.group(2).equals("*") ? "resources of every type" : matcher.group(2) + " resources";
        String action = action(matcher.group(3));
        String query =
                matcher.group(4) == null ? "" : " matching " + matcher.group(4).substring(1);
        return action + " " + type + query + " " + context.meaning;
    }

    private static final Map<String, String> V1_ACTIONS = Map.of(
            "read", "Read and search (SMART v1)",
            "write", "Create, update and delete (SMART v1)",
            "*", "Read and write (SMART v1)");

    private static final Map<Character, String> V2_ACTIONS =
            Map.of('c', "create", 'r', "read", 'u', "update", 'd', "delete", 's', "search");

    private static String action(String permissions) {
        if (V1_ACTIONS.containsKey(permissions)) {
            return V1_ACTIONS.get(permissions);
        }
        List<String> words =
                permissions.chars().mapToObj(c -> V2_ACTIONS.get((char) c)).toList();
        String sentence = words.size() == 1
                ? words.get(0)
                : String.join(", ", words.subList(0, words.size() - 1)) + " and " + words.get(words.size() - 1);
        return Character.toUpperCase(sentence.charAt(0)) + sentence.substring(1);
    }
}
