package health.vigil.terminology;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Terminology settings, {@code vigil.terminology.*}.
 *
 * @param enabled whether the shipped terminology is available to the server and its modules (default
 *     {@code true})
 * @param loadContent whether the server stores the shipped CodeSystems, ValueSets and ConceptMaps at
 *     start, so the FHIR terminology operations work on them (default {@code true})
 */
@ConfigurationProperties("vigil.terminology")
public record TerminologyProperties(@DefaultValue("true") boolean enabled, @DefaultValue("true") boolean loadContent) {}
