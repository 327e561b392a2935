package health.vigil.terminology.api;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.FhirVersionEnum;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fhir.ucum.UcumService;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.ConceptMap;
import org.hl7.fhir.r4.model.MetadataResource;

/**
 * Vigil's shipped terminology: the FHIR resources loaded into the server at start, and the services
 * built on them (analyte catalogue, units, device code maps).
 *
 * <p>Loading parses and checks the content once (a few hundred milliseconds); keep one instance. It is
 * immutable and thread-safe. Content that is inconsistent (a ConceptMap target missing from the
 * CodeSystem, a unit that is not UCUM) fails the load with an {@link IllegalStateException} naming the
 * entry.
 */
public final class Terminology {

    /** Where the content lives on the classpath. */
    public static final String CONTENT_DIRECTORY = "vigil/terminology/";

    /** The shipped resources, in load order: code systems before the value sets and maps that use them. */
    public static final List<String> CONTENT = List.of(
            "CodeSystem-loinc.json",
            "CodeSystem-designation-use.json",
            "ValueSet-vital-signs.json",
            "ValueSet-common-labs.json",
            "ValueSet-units.json",
            "ConceptMap-healthkit-to-loinc.json",
            "ConceptMap-mdc-to-loinc.json",
            "ConceptMap-openmhealth-to-loinc.json");

    /** The identifier that marks the LOINC CodeSystem resource as Vigil's subset, not a full release. */
    public static final String LOINC_SUBSET_IDENTIFIER = "https://vigil.health/fhir/CodeSystem/loinc-subset";

    private final FhirContext fhirContext;
    private final AnalyteCatalog analytes;
    private final UcumUnits units;
    private final DeviceCodeMaps deviceCodes;

    private Terminology(FhirContext fhirContext) {
        this.fhirContext = fhirContext;
        UcumService ucum = UcumUnits.essence();
        CodeSystem loinc = (CodeSystem) read("CodeSystem-loinc.json");
        List<Analyte> catalogue = CodeSystemCatalog.analytes(loinc);
        Map<String, String> spellings;
        try (InputStream table = resource(UcumUnits.SPELLINGS)) {
            spellings = UcumUnits.readSpellings(ucum, table);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Analyte> byCode = new HashMap<>();
        catalogue.forEach(analyte -> byCode.put(analyte.code(), analyte));
        this.units = new UcumUnits(ucum, spellings, code -> Optional.ofNullable(byCode.get(code)));
        this.analytes = new CodeSystemCatalog(catalogue, units);
        Map<DeviceVocabulary, ConceptMap> maps = new EnumMap<>(DeviceVocabulary.class);
        maps.put(DeviceVocabulary.HEALTHKIT, (ConceptMap) read("ConceptMap-healthkit-to-loinc.json"));
        maps.put(DeviceVocabulary.MDC, (ConceptMap) read("ConceptMap-mdc-to-loinc.json"));
        maps.put(DeviceVocabulary.OPEN_MHEALTH, (ConceptMap) read("ConceptMap-openmhealth-to-loinc.json"));
        this.deviceCodes = new ConceptMapDeviceCodes(maps, analytes);
    }

    /** Loads the shipped content with HAPI's cached R4 context. */
    public static Terminology load() {
        return load(FhirContext.forR4Cached());
    }

    /** Loads the shipped content, parsing with the given R4 context (the server's, to share its model). */
    public static Terminology load(FhirContext fhirContext) {
        if (fhirContext.getVersion().getVersion() != FhirVersionEnum.R4) {
            throw new IllegalArgumentException("Vigil's terminology is FHIR R4, not "
                    + fhirContext.getVersion().getVersion());
        }
        return new Terminology(fhirContext);
    }

    /** The LOINC subset as analytes. */
    public AnalyteCatalog analytes() {
        return analytes;
    }

    /** UCUM units, their non-UCUM spellings and conversions. */
    public Units units() {
        return units;
    }

    /** Device vocabularies mapped to LOINC. */
    public DeviceCodeMaps deviceCodes() {
        return deviceCodes;
    }

    /**
     * The shipped resources, freshly parsed (callers may change them), in {@link #CONTENT} order. Each
     * has a fixed id and canonical URL, so storing them with update-by-id is idempotent.
     */
    public List<MetadataResource> resources() {
        return CONTENT.stream().map(this::read).toList();
    }

    /**
     * Whether a stored resource at a shipped resource's id is Vigil's own (an earlier or the same version
     * of the shipped content) and so may be replaced by it. Anything else was put there by the deployment
     * and is left alone: a full LOINC release loaded as {@code CodeSystem/loinc}, say, is not marked with
     * {@link #LOINC_SUBSET_IDENTIFIER}.
     */
    public static boolean isShipped(MetadataResource stored, MetadataResource shipped) {
        if (!stored.fhirType().equals(shipped.fhirType()) || !shipped.getUrl().equals(stored.getUrl())) {
            return false;
        }
        if (shipped instanceof CodeSystem shippedSystem && stored instanceof CodeSystem storedSystem) {
            // The shipped identifiers mark the content as Vigil's; the stored one must carry them all.
            return shippedSystem.getIdentifier().stream().allMatch(mark -> storedSystem.getIdentifier().stream()
                    .anyMatch(identifier -> mark.getValue().equals(identifier.getValue())));
        }
        return true;
    }

    private MetadataResource read(String name) {
        try (InputStream json = resource(CONTENT_DIRECTORY + name)) {
            return (MetadataResource) fhirContext.newJsonParser().parseResource(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream resource(String path) {
        InputStream stream = Terminology.class.getClassLoader().getResourceAsStream(path);
        if (stream == null) {
            throw new IllegalStateException("Terminology content missing from the classpath: " + path);
        }
        return stream;
    }
}
