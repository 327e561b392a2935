package health.vigil.interceptors.audit;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Audit trail settings, {@code vigil.audit.*}.
 *
 * @param enabled whether every FHIR request is audited (default {@code true})
 * @param path the path of the FHIR endpoint whose requests are audited (default {@code /fhir})
 * @param retention how long audit events are kept (default {@code 0}: for ever); when set, events
 *     recorded longer ago are removed once a day and the chain's anchor moves past them, so the kept
 *     chain still verifies
 * @param maxBatch the most events stored in one commit (default 256)
 * @param writeTimeout how long a request waits for its audit record to be stored before it is
 *     answered with 503 instead (default 10 seconds)
 * @param serverName the server's name in the events' source and destination agent (default
 *     {@code Vigil})
 */
@ConfigurationProperties("vigil.audit")
public record AuditProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("/fhir") String path,
        @DefaultValue("0") Duration retention,
        @DefaultValue("256") int maxBatch,
        @DefaultValue("10s") Duration writeTimeout,
        @DefaultValue("Vigil") String serverName) {

    public AuditProperties {
        if (path == null || !path.startsWith("/") || path.endsWith("/")) {
            throw new IllegalArgumentException("vigil.audit.path must start with / and not end with /, was " + path);
        }
        if (retention == null || retention.isNegative()) {
            throw new IllegalArgumentException("vigil.audit.retention must be zero (keep for ever) or positive");
        }
        if (!retention.isZero() && retention.compareTo(Duration.ofDays(1)) < 0) {
            throw new IllegalArgumentException("vigil.audit.retention must be at least 1d, was " + retention);
        }
        if (maxBatch < 1) {
            throw new IllegalArgumentException("vigil.audit.max-batch must be at least 1, was " + maxBatch);
        }
        if (writeTimeout == null || writeTimeout.isNegative() || writeTimeout.isZero()) {
            throw new IllegalArgumentException("vigil.audit.write-timeout must be positive, was " + writeTimeout);
        }
    }
}
