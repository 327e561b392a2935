package health.vigil.interceptors.authorization;

import health.vigil.interceptors.authorization.SmartScope.Permission;

/**
 * A scope resolved for its caller: what it permits ({@link SmartScope}) and which resources it reaches.
 *
 * @param scope the parsed scope
 * @param reach which resources of the scope's types it reaches
 */
record Grant(SmartScope scope, Reach reach) {

    boolean allows(Permission permission) {
        return scope.allows(permission);
    }

    boolean covers(String type) {
        return scope.covers(type);
    }

    boolean isFiltered() {
        return !scope.filters().isEmpty();
    }

    boolean reachesAnyResource() {
        return reach instanceof Reach.AnyResource;
    }
}
