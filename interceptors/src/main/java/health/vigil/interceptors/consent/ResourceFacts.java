package health.vigil.interceptors.consent;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Property;
import org.hl7.fhir.r4.model.Resource;

/**
 * What consent provisions test about a resource, read once: its type and id, its security labels, the
 * codes that classify it, and the date its data is about.
 *
 * @param type the resource type
 * @param reference {@code Type/id}
 * @param securityLabels {@code meta.security} as {@code system|code}
 * @param codes the codings of the elements that say what it is ({@code code}, {@code category},
 *     {@code type}, {@code class}, {@code vaccineCode}, {@code medicationCodeableConcept}), as
 *     {@code system|code}
 * @param date the clinically relevant date (when it happened, not when it was stored), if the resource
 *     has one
 */
record ResourceFacts(
        String type, String reference, Set<String> securityLabels, Set<String> codes, Optional<Instant> date) {

    /** Elements whose codings classify a resource, across resource types. */
    private static final List<String> CODE_ELEMENTS =
            List.of("code", "category", "type", "class", "vaccineCode", "medicationCodeableConcept");

    /** Elements holding the date a resource's data is about, most telling first. */
    private static final List<String> DATE_ELEMENTS = List.of(
            "effective[x]",
            "occurrence[x]",
            "performed[x]",
            "onset[x]",
            "recordedDate",
            "authoredOn",
            "issued",
            "period",
            "date",
            "created",
            "recorded");

    static ResourceFacts of(Resource resource) {
        Set<String> labels = new HashSet<>();
        resource.getMeta().getSecurity().forEach(coding -> labels.add(key(coding)));
        Set<String> codes = new HashSet<>();
        for (String element : CODE_ELEMENTS) {
            for (Base value : values(resource, element)) {
                if (value instanceof CodeableConcept concept) {
                    concept.getCoding().forEach(coding -> codes.add(key(coding)));
                } else if (value instanceof Coding coding) {
                    codes.add(key(coding));
                }
            }
        }
        return new ResourceFacts(
                resource.fhirType(),
                resource.fhirType() + "/" + resource.getIdElement().getIdPart(),
                labels,
                codes,
                date(resource));
    }

    /** {@code system|code}, the form codings are compared in. */
    static String key(Coding coding) {
        return (coding.hasSystem() ? coding.getSystem() : "") + "|" + coding.getCode();
    }

    private static Optional<Instant> date(Resource resource) {
        for (String element : DATE_ELEMENTS) {
            for (Base value : values(resource, element)) {
                if (value instanceof BaseDateTimeType dateTime && dateTime.getValue() != null) {
                    return Optional.of(dateTime.getValue().toInstant());
                }
                if (value instanceof Period period) {
                    if (period.hasStart()) {
                        return Optional.of(period.getStart().toInstant());
                    }
                    if (period.hasEnd()) {
                        return Optional.of(period.getEnd().toInstant());
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static List<Base> values(Resource resource, String element) {
        try {
            Property property = resource.getNamedProperty(element);
            return property == null ? List.of() : property.getValues();
        } catch (org.hl7.fhir.exceptions.FHIRException e) {
            // The element does not exist on this resource type.
            return List.of();
        }
    }
}
