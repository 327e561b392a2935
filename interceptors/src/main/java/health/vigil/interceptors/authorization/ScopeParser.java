package health.vigil.interceptors.authorization;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeResourceDefinition;
import health.vigil.interceptors.authorization.SmartScope.Context;
import health.vigil.interceptors.authorization.SmartScope.Filter;
import health.vigil.interceptors.authorization.SmartScope.Permission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses SMART App Launch 2.x scopes: v2 ({@code patient/Observation.rs}, with optional
 * {@code ?param=value} filters) and v1 ({@code user/*.read}, {@code .write}, {@code .*}). Anything that
 * starts like a resource scope but is not a valid one is {@link ParsedScope.Invalid} and grants nothing.
 */
final class ScopeParser {

    private static final Pattern RESOURCE_SCOPE =
            Pattern.compile("(patient|user|system)/([A-Za-z]+|\\*)\\.([a-z*]+)(?:\\?(.*))?");
    private static final Pattern V2_PERMISSIONS = Pattern.compile("c?r?u?d?s?");
    private static final Pattern PARAMETER_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*(:[A-Za-z-]+)?");

    private final FhirContext fhirContext;

    ScopeParser(FhirContext fhirContext) {
        this.fhirContext = fhirContext;
    }

    ParsedScope parse(String text) {
        if (!text.startsWith("patient/") && !text.startsWith("user/") && !text.startsWith("system/")) {
            return new ParsedScope.Other(text);
        }
        Matcher matcher = RESOURCE_SCOPE.matcher(text);
        if (!matcher.matches()) {
            return new ParsedScope.Invalid(text, "not of the form context/Type.permissions");
        }
        Context context = Context.valueOf(matcher.group(1).toUpperCase(Locale.ROOT));
        String type = matcher.group(2);
        if (!type.equals("*") && !fhirContext.getResourceTypes().contains(type)) {
            return new ParsedScope.Invalid(text, "unknown resource type " + type);
        }
        Optional<String> resourceType = type.equals("*") ? Optional.empty() : Optional.of(type);
        String permissionText = matcher.group(3);
        String query = matcher.group(4);

        Set<Permission> permissions = v1Permissions(permissionText);
        if (permissions == null) {
            if (!V2_PERMISSIONS.matcher(permissionText).matches()) {
                return new ParsedScope.Invalid(text, "permissions must be a subset of cruds in that order");
            }
            permissions = EnumSet.noneOf(Permission.class);
            for (Permission permission : Permission.values()) {
                if (permissionText.indexOf(permission.letter) >= 0) {
                    permissions.add(permission);
                }
            }
        } else if (query != null) {
            return new ParsedScope.Invalid(text, "v1 scopes take no filter");
        }

        List<Filter> filters = new ArrayList<>();
        if (query != null) {
            if (resourceType.isEmpty()) {
                return new ParsedScope.Invalid(text, "a filter needs a resource type, not *");
            }
            RuntimeResourceDefinition definition = fhirContext.getResourceDefinition(type);
            for (String pair : query.split("&", -1)) {
                int equals = pair.indexOf('=');
                if (equals <= 0 || equals == pair.length() - 1) {
                    return new ParsedScope.Invalid(text, "filter '" + pair + "' is not param=value");
                }
                String name = pair.substring(0, equals);
                if (!PARAMETER_NAME.matcher(name).matches()) {
                    return new ParsedScope.Invalid(text, "filter parameter '" + name + "' is not a parameter name");
                }
                String baseName = name.contains(":") ? name.substring(0, name.indexOf(':')) : name;
                if (definition.getSearchParam(baseName) == null) {
                    return new ParsedScope.Invalid(text, type + " has no search parameter '" + baseName + "'");
                }
                filters.add(new Filter(name, pair.substring(equals + 1)));
            }
        }
        return new ParsedScope.Resource(new SmartScope(context, resourceType, permissions, filters, text));
    }

    /** v1 permissions, or null if the text is not a v1 permission. */
    private static Set<Permission> v1Permissions(String text) {
        return switch (text) {
            case "read" -> EnumSet.of(Permission.READ, Permission.SEARCH);
            case "write" -> EnumSet.of(Permission.CREATE, Permission.UPDATE, Permission.DELETE);
            case "*" -> EnumSet.allOf(Permission.class);
            default -> null;
        };
    }
}
