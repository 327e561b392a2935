package health.vigil.interceptors.consent;

import java.time.Duration;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Consent enforcement settings, {@code vigil.consent.*}.
 *
 * @param enabled whether patients' Consents are enforced (default {@code true}); enforcement needs
 *     verified callers, so it is active only in {@code smart} security mode
 * @param defaultPolicy what applies where no active Consent of the patient speaks: {@code opt-out}
 *     (shared unless the patient said otherwise, the default) or {@code opt-in} (not shared unless the
 *     patient permitted it)
 * @param purposeHeader the request header that carries the purpose of use, an HL7 v3 ActReason code
 *     (default {@code X-Purpose-Of-Use}); without it the purpose is {@code TREAT}
 * @param breakGlassRoles the identity-provider roles allowed to use emergency access, purpose
 *     {@code ETREAT} (default {@code vigil-break-glass})
 * @param cacheTtl how long compiled consent decisions are kept (default 5 minutes); a Consent write on
 *     this server drops them at once, the lifetime bounds how late a Consent's own {@code period}
 *     boundary takes effect and how late a change made on another node is seen
 * @param cacheSize the most (patient, requester, purpose) entries kept (default 10000)
 */
@ConfigurationProperties("vigil.consent")
public record ConsentProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("opt-out") DefaultConsentPolicy defaultPolicy,
        @DefaultValue("X-Purpose-Of-Use") String purposeHeader,
        @DefaultValue("vigil-break-glass") Set<String> breakGlassRoles,
        @DefaultValue("5m") Duration cacheTtl,
        @DefaultValue("10000") int cacheSize) {

    public ConsentProperties {
        if (purposeHeader == null || purposeHeader.isBlank()) {
            throw new IllegalArgumentException("vigil.consent.purpose-header must name a request header");
        }
        if (cacheTtl == null || cacheTtl.isNegative()) {
            throw new IllegalArgumentException("vigil.consent.cache-ttl must be zero or positive, was " + cacheTtl);
        }
        if (cacheSize < 1) {
            throw new IllegalArgumentException("vigil.consent.cache-size must be at least 1, was " + cacheSize);
        }
        breakGlassRoles = breakGlassRoles == null ? Set.of() : Set.copyOf(breakGlassRoles);
    }
}
