package health.vigil.terminology.api;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.ConceptMap;
import org.hl7.fhir.r4.model.ConceptMap.ConceptMapGroupComponent;
import org.hl7.fhir.r4.model.ConceptMap.SourceElementComponent;
import org.hl7.fhir.r4.model.ConceptMap.TargetElementComponent;

/** {@link DeviceCodeMaps} over the shipped ConceptMaps. */
final class ConceptMapDeviceCodes implements DeviceCodeMaps {

    private static final String LOINC = "http://loinc.org";

    private final Map<DeviceVocabulary, Map<String, DeviceCodeMapping>> mappings;

    ConceptMapDeviceCodes(Map<DeviceVocabulary, ConceptMap> maps, AnalyteCatalog catalog) {
        Map<DeviceVocabulary, Map<String, DeviceCodeMapping>> all = new EnumMap<>(DeviceVocabulary.class);
        maps.forEach((vocabulary, map) -> all.put(vocabulary, read(vocabulary, map, catalog)));
        this.mappings = all;
    }

    private static Map<String, DeviceCodeMapping> read(
            DeviceVocabulary vocabulary, ConceptMap map, AnalyteCatalog catalog) {
        Map<String, DeviceCodeMapping> entries = new LinkedHashMap<>();
        for (ConceptMapGroupComponent group : map.getGroup()) {
            if (!vocabulary.system().equals(group.getSource()) || !LOINC.equals(group.getTarget())) {
                throw new IllegalStateException(map.getUrl() + ": a group maps " + group.getSource() + " to "
                        + group.getTarget() + ", expected " + vocabulary.system() + " to " + LOINC);
            }
            for (SourceElementComponent element : group.getElement()) {
                if (element.getTarget().size() != 1) {
                    throw new IllegalStateException(
                            map.getUrl() + ": " + element.getCode() + " must have exactly one LOINC target");
                }
                TargetElementComponent target = element.getTargetFirstRep();
                Analyte analyte = catalog.byCode(target.getCode())
                        .orElseThrow(() -> new IllegalStateException(map.getUrl() + ": " + element.getCode()
                                + " maps to " + target.getCode() + ", which is not in the LOINC CodeSystem"));
                entries.put(
                        element.getCode(),
                        new DeviceCodeMapping(
                                vocabulary,
                                element.getCode(),
                                element.getDisplay(),
                                analyte,
                                target.getEquivalence().toCode(),
                                target.getComment()));
            }
        }
        return Collections.unmodifiableMap(entries);
    }

    @Override
    public Optional<DeviceCodeMapping> toLoinc(DeviceVocabulary vocabulary, String code) {
        if (code == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(mappings.getOrDefault(vocabulary, Map.of()).get(code.strip()));
    }

    @Override
    public List<DeviceCodeMapping> all(DeviceVocabulary vocabulary) {
        return List.copyOf(mappings.getOrDefault(vocabulary, Map.of()).values());
    }
}
