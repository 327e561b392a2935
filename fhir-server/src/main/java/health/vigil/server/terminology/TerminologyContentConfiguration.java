package health.vigil.server.terminology;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.term.api.ITermReadSvc;
import ca.uhn.fhir.jpa.validation.JpaValidationSupportChain;
import health.vigil.terminology.api.Terminology;
import javax.sql.DataSource;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Serves the shipped terminology through HAPI's terminology operations: stores it at start (unless
 * {@code vigil.terminology.load-content=false}) and pre-expands its ValueSets, so {@code $expand} can
 * filter and page, and answers {@code $lookup} on fragment code systems with designations and
 * properties.
 */
@Configuration(proxyBeanMethods = false)
class TerminologyContentConfiguration {

    /**
     * Loading runs as an application runner, so the readiness probe reports the server ready only once
     * it is done. Absent terminology ({@code vigil.terminology.enabled=false}) means nothing to load.
     */
    @Bean
    @ConditionalOnProperty(
            prefix = "vigil.terminology",
            name = "load-content",
            havingValue = "true",
            matchIfMissing = true)
    ApplicationRunner terminologyContentRunner(
            ObjectProvider<Terminology> terminology, DaoRegistry daos, ITermReadSvc terms, DataSource dataSource) {
        return arguments -> terminology.ifAvailable(available -> LoadingLock.whileHeld(
                dataSource, LoadingLock.TERMINOLOGY, new TerminologyContentLoader(available, daos, terms)::load));
    }

    /** Just before HAPI's in-memory terminology support, which would answer with the display alone. */
    @Bean
    CodeSystemResourceLookup codeSystemResourceLookup(
            FhirContext fhirContext,
            JpaValidationSupportChain chain,
            InMemoryTerminologyServerValidationSupport inMemory) {
        CodeSystemResourceLookup lookup = new CodeSystemResourceLookup(fhirContext);
        int position = chain.getValidationSupports().indexOf(inMemory);
        chain.addValidationSupport(position < 0 ? chain.getValidationSupports().size() : position, lookup);
        return lookup;
    }
}
