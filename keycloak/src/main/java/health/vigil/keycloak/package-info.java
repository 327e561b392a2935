/**
 * Keycloak providers for SMART App Launch 2.x: {@link health.vigil.keycloak.SmartLaunchContextMapper}
 * puts the launch context into tokens and token responses. Keycloak loads them from the jar in its
 * {@code providers/} directory; no Vigil module uses these classes.
 */
package health.vigil.keycloak;
