package health.vigil.server.storage;

import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.binary.api.IBinaryStorageSvc;
import ca.uhn.fhir.jpa.binstore.DatabaseBinaryContentStorageSvcImpl;
import ca.uhn.fhir.jpa.model.config.PartitionSettings;
import ca.uhn.fhir.jpa.model.config.SubscriptionSettings;
import ca.uhn.fhir.jpa.subscription.match.deliver.email.IEmailSender;
import health.vigil.server.VigilServerProperties;
import org.hl7.fhir.dstu2.model.Subscription.SubscriptionChannelType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * HAPI FHIR's storage settings, tuned for Vigil's workload: many small clinical resources written by
 * devices and EHR feeds, conditional references to practitioners and organizations, and searches by
 * patient, code and date. Every setting that differs from HAPI's default is set in
 * {@link #vigilTuning(JpaStorageSettings)}, and explained there and in
 * docs/configuration.md.
 */
@Configuration(proxyBeanMethods = false)
class StorageSettingsConfiguration {

    private static final Logger log = LoggerFactory.getLogger(StorageSettingsConfiguration.class);

    @Bean
    JpaStorageSettings jpaStorageSettings(VigilServerProperties properties) {
        JpaStorageSettings settings = new JpaStorageSettings();
        // Full-text search (_content, _text) is a Vigil feature in both tunings, so that the
        // benchmarks compare storage tuning, not features.
        settings.setHibernateSearchIndexFullText(true);
        settings.setMaximumTransactionBundleSize(properties.limits().maxBundleEntries());
        if (properties.tuning() == VigilServerProperties.Tuning.VIGIL) {
            vigilTuning(settings);
        } else {
            log.warn("Running with HAPI FHIR's default storage settings (vigil.server.tuning=HAPI_DEFAULTS)");
        }
        return settings;
    }

    /**
     * Vigil's deviations from HAPI's defaults.
     *
     * <ul>
     *   <li>Match URL cache on: Synthea, EHR feeds and device ingestion refer to practitioners,
     *       organizations and devices by conditional references ({@code Practitioner?identifier=...}),
     *       resolved once per entry. Caching the resolution removes one indexed query per reference.
     *       The cache is per node and not invalidated when a matched resource changes its identifier or is
     *       deleted (entries expire after a minute): acceptable because the identifiers matched on (NPI,
     *       device serial numbers, organization ids) are stable business identifiers.
     *   <li>Index storage optimized: index rows keep only the hash columns, not the redundant
     *       parameter name and resource type strings; HFJ_SPIDX_* tables are most of the database.
     *   <li>Token {@code :text} indexing suppressed: every Coding's display would get a second,
     *       string index row. Text search over resources is served by {@code _content}/{@code _text}
     *       (Lucene) instead.
     *   <li>Any client-assigned id, and server-assigned ids are UUIDs: EHRs and devices that mirror
     *       their records into Vigil keep their own ids, numeric ones included (HAPI's default refuses
     *       purely numeric client ids, because they could collide with its sequential server ids).
     *       UUIDs also do not reveal how many resources the server holds, and need no coordination
     *       between nodes.
     *   <li>Search result reuse off: HAPI by default answers an identical search made within a
     *       minute from the cached result, so a client that writes and then searches may not see
     *       its own write. A clinical server must not serve stale results.
     * </ul>
     */
    private static void vigilTuning(JpaStorageSettings settings) {
        settings.setResourceClientIdStrategy(JpaStorageSettings.ClientIdStrategyEnum.ANY);
        settings.setResourceServerIdStrategy(JpaStorageSettings.IdStrategyEnum.UUID);
        settings.setMatchUrlCacheEnabled(true);
        settings.setIndexStorageOptimized(true);
        settings.setSuppressStringIndexingInTokens(true);
        settings.setReuseCachedSearchResultsForMillis(null);
    }

    @Bean
    PartitionSettings partitionSettings() {
        // Index storage optimization requires partition ids to stay out of the search hashes (the default).
        return new PartitionSettings();
    }

    @Bean
    SubscriptionSettings subscriptionSettings() {
        SubscriptionSettings settings = new SubscriptionSettings();
        settings.addSupportedSubscriptionType(SubscriptionChannelType.RESTHOOK);
        return settings;
    }

    @Bean
    IBinaryStorageSvc binaryStorageSvc() {
        return new DatabaseBinaryContentStorageSvcImpl();
    }

    @Bean
    IEmailSender emailSender() {
        // Email subscriptions are not offered (not in SubscriptionSettings); HAPI still wires a sender.
        return details -> {
            throw new UnsupportedOperationException("Email subscriptions are not supported");
        };
    }
}
