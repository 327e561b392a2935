package health.vigil.terminology.api;

import java.util.List;
import java.util.Optional;

/** The shipped ConceptMaps from device vocabularies to LOINC, read once. Thread-safe. */
public interface DeviceCodeMaps {

    /** The LOINC mapping of a device code, if the vocabulary's map has one. */
    Optional<DeviceCodeMapping> toLoinc(DeviceVocabulary vocabulary, String code);

    /** Every mapping of a vocabulary, in the ConceptMap's order. */
    List<DeviceCodeMapping> all(DeviceVocabulary vocabulary);
}
