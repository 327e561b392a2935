package health.vigil.interceptors.audit;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.rest.server.IResourceProvider;
import health.vigil.interceptors.api.AccessContextResolver;
import health.vigil.interceptors.api.AuditStorage;
import health.vigil.interceptors.api.RestfulServerCustomizer;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.hl7.fhir.r4.model.AuditEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;

/**
 * The audit trail, switched on by an {@link AuditStorage} bean unless {@code vigil.audit.enabled=false}:
 * the servlet filter that audits every FHIR request and holds its response until the record is stored,
 * the hooks that describe the request, {@code AuditEvent} read and search over the trail (in place of
 * the resource store's), {@code $verify-audit}, the refusal of AuditEvent writes, and retention.
 */
@AutoConfiguration
@ConditionalOnBean(AuditStorage.class)
@ConditionalOnProperty(prefix = "vigil.audit", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(AuditProperties.class)
public class AuditAutoConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(AuditAutoConfiguration.class);

    /** Right after the request id is set, before the size limit and the token check, so it sees both. */
    static final int FILTER_ORDER = Ordered.HIGHEST_PRECEDENCE + 5;

    @Bean(destroyMethod = "close")
    AuditWriter auditWriter(AuditStorage storage, FhirContext fhirContext, AuditProperties properties) {
        return new AuditWriter(storage, new AuditChain(fhirContext), properties.maxBatch(), properties.writeTimeout());
    }

    @Bean
    FilterRegistrationBean<AuditFilter> auditFilter(
            AuditWriter writer, FhirContext fhirContext, AuditProperties properties) {
        FilterRegistrationBean<AuditFilter> registration = new FilterRegistrationBean<>(
                new AuditFilter(writer, new BalpAuditEvents(properties.serverName()), fhirContext, properties.path()));
        registration.setOrder(FILTER_ORDER);
        registration.addUrlPatterns(properties.path(), properties.path() + "/*");
        return registration;
    }

    @Bean
    RestfulServerCustomizer auditTrail(
            AuditStorage storage,
            FhirContext fhirContext,
            ObjectProvider<AccessContextResolver> resolver,
            IInterceptorService storageInterceptors,
            org.springframework.core.env.Environment environment) {
        storageInterceptors.registerInterceptor(new AuditImmutabilityInterceptor());
        String purposeHeader = environment.getProperty("vigil.consent.purpose-header", "X-Purpose-Of-Use");
        return server -> {
            server.registerInterceptor(
                    new AuditInterceptor(Optional.ofNullable(resolver.getIfAvailable()), fhirContext, purposeHeader));
            // The trail replaces the resource store's AuditEvent provider.
            List<IResourceProvider> stored = server.getResourceProviders().stream()
                    .filter(provider -> provider.getResourceType() == AuditEvent.class)
                    .toList();
            stored.forEach(server::unregisterProvider);
            server.registerProvider(new AuditEventProvider(storage));
            server.registerProvider(new VerifyAuditOperationProvider(storage, new AuditChain(fhirContext)));
        };
    }

    @Bean(destroyMethod = "shutdownNow")
    @ConditionalOnProperty(prefix = "vigil.audit", name = "retention")
    ScheduledExecutorService auditRetention(AuditStorage storage, AuditProperties properties) {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "vigil-audit-retention");
            thread.setDaemon(true);
            return thread;
        });
        if (!properties.retention().isZero()) {
            executor.scheduleWithFixedDelay(
                    () -> {
                        try {
                            long removed =
                                    storage.removeRecordedBefore(Instant.now().minus(properties.retention()));
                            LOG.info(
                                    "Audit retention removed {} events older than {}", removed, properties.retention());
                        } catch (RuntimeException e) {
                            LOG.error("Audit retention failed; it runs again in a day", e);
                        }
                    },
                    1,
                    TimeUnit.DAYS.toMinutes(1),
                    TimeUnit.MINUTES);
        }
        return executor;
    }
}
