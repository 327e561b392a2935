package health.vigil.terminology.api;

import java.math.BigDecimal;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.apache.commons.text.similarity.LevenshteinDistance;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.CodeSystem.ConceptDefinitionComponent;
import org.hl7.fhir.r4.model.CodeSystem.ConceptDefinitionDesignationComponent;
import org.hl7.fhir.r4.model.CodeSystem.ConceptPropertyComponent;

/** {@link AnalyteCatalog} over the shipped LOINC CodeSystem fragment. */
final class CodeSystemCatalog implements AnalyteCatalog {

    static final String REPORT_ALIAS_USE = "report-alias";

    /** Fuzzy matching only looks at names this long: AST and ALT, T3 and T4 are one letter apart. */
    private static final int FUZZY_MIN_LENGTH = 5;

    /** A fuzzy winner must be this much closer than the best other analyte. */
    private static final double FUZZY_MARGIN = 0.05;

    private static final Pattern NOT_NAME = Pattern.compile("[^\\p{L}\\p{N}%#/+]+");
    private static final Pattern DIGITS = Pattern.compile("\\D+");

    private final List<Analyte> all;
    private final Map<String, Analyte> byCode;
    private final Map<String, List<Analyte>> byName;
    private final Map<String, List<Analyte>> byComponent;
    private final UcumUnits units;

    CodeSystemCatalog(List<Analyte> analytes, UcumUnits units) {
        this.all = List.copyOf(analytes);
        this.units = units;
        Map<String, Analyte> codes = new LinkedHashMap<>();
        Map<String, List<Analyte>> names = new LinkedHashMap<>();
        Map<String, List<Analyte>> components = new LinkedHashMap<>();
        for (Analyte analyte : all) {
            codes.put(analyte.code(), analyte);
            Set<String> keys = new LinkedHashSet<>();
            keys.add(nameKey(analyte.display()));
            analyte.aliases().forEach(alias -> keys.add(nameKey(alias)));
            keys.forEach(
                    key -> names.computeIfAbsent(key, k -> new ArrayList<>()).add(analyte));
            if (analyte.component() != null) {
                components
                        .computeIfAbsent(nameKey(analyte.component()), k -> new ArrayList<>())
                        .add(analyte);
            }
        }
        this.byCode = Map.copyOf(codes);
        this.byName = freeze(names);
        this.byComponent = freeze(components);
    }

    /** Reads the analytes from the CodeSystem's concepts: designations, units, specimen, molar mass. */
    static List<Analyte> analytes(CodeSystem codeSystem) {
        List<Analyte> analytes = new ArrayList<>();
        for (ConceptDefinitionComponent concept : codeSystem.getConcept()) {
            List<String> unitList = new ArrayList<>();
            String component = null;
            String specimen = null;
            String category = null;
            String panel = null;
            BigDecimal molarMass = null;
            for (ConceptPropertyComponent property : concept.getProperty()) {
                switch (property.getCode()) {
                    case "unit" -> unitList.add(property.getValue().primitiveValue());
                    case "COMPONENT" -> component = property.getValue().primitiveValue();
                    case "SYSTEM" -> specimen = property.getValue().primitiveValue();
                    case "category" -> category = property.getValue().primitiveValue();
                    case "panel" -> panel = property.getValue().primitiveValue();
                    case "molar-mass" -> molarMass =
                            new BigDecimal(property.getValue().primitiveValue());
                    default -> {
                        // Properties of a full LOINC release that Vigil does not use.
                    }
                }
            }
            List<String> aliases = concept.getDesignation().stream()
                    .filter(designation -> designation.hasUse()
                            && REPORT_ALIAS_USE.equals(designation.getUse().getCode()))
                    .map(ConceptDefinitionDesignationComponent::getValue)
                    .toList();
            analytes.add(new Analyte(
                    concept.getCode(),
                    concept.getDisplay(),
                    component,
                    specimen,
                    category,
                    panel,
                    unitList,
                    aliases,
                    molarMass));
        }
        return analytes;
    }

    @Override
    public List<Analyte> all() {
        return all;
    }

    @Override
    public Optional<Analyte> byCode(String loincCode) {
        return loincCode == null ? Optional.empty() : Optional.ofNullable(byCode.get(loincCode.strip()));
    }

    @Override
    public boolean acceptsUnit(Analyte analyte, String ucumUnit) {
        if (ucumUnit == null) {
            return false;
        }
        return analyte.units().contains(ucumUnit)
                || analyte.units().stream().anyMatch(unit -> units.sameKind(unit, ucumUnit));
    }

    @Override
    public AnalyteMatch match(AnalyteQuery query) {
        String name = nameKey(query.name());
        if (name.isEmpty()) {
            return new AnalyteMatch.NoMatch("no name given", List.of());
        }
        String unit = null;
        if (query.unit() != null && !query.unit().isBlank()) {
            UnitResult normalized = units.normalize(query.unit());
            if (normalized instanceof UnitResult.Invalid invalid) {
                return new AnalyteMatch.NoMatch("unit not recognised: " + invalid.reason(), List.of());
            }
            unit = ((UnitResult.Valid) normalized).ucum();
        }
        Specimen specimen = Specimen.of(query.specimen());
        if (specimen != null && !specimen.known()) {
            return new AnalyteMatch.NoMatch("specimen not recognised: " + query.specimen(), List.of());
        }
        Predicate<Analyte> fits = fits(unit, specimen);

        List<Analyte> named = byName.getOrDefault(name, List.of());
        if (!named.isEmpty()) {
            List<Analyte> fitting = prefer(named.stream().filter(fits).toList(), unit, specimen);
            if (fitting.size() == 1) {
                return new AnalyteMatch.Matched(fitting.get(0), 1.0, AnalyteMatch.Basis.ALIAS, unit);
            }
            if (fitting.size() > 1) {
                return ambiguous(fitting, unit, specimen);
            }
            if (specimen != null) {
                // The name says what is measured; the specimen and unit choose the code (WBC on urine).
                Set<String> components = new LinkedHashSet<>();
                components.add(name);
                named.stream()
                        .map(Analyte::component)
                        .filter(Objects::nonNull)
                        .forEach(component -> components.add(nameKey(component)));
                List<Analyte> byComponentAndSpecimen = prefer(
                        components.stream()
                                .flatMap(component -> byComponent.getOrDefault(component, List.of()).stream())
                                .distinct()
                                .filter(fits)
                                .toList(),
                        unit,
                        specimen);
                if (byComponentAndSpecimen.size() == 1) {
                    return new AnalyteMatch.Matched(
                            byComponentAndSpecimen.get(0), 1.0, AnalyteMatch.Basis.COMPONENT_AND_SPECIMEN, unit);
                }
                if (byComponentAndSpecimen.size() > 1) {
                    return ambiguous(byComponentAndSpecimen, unit, specimen);
                }
            }
            return new AnalyteMatch.NoMatch(rejection(unit, specimen), codes(named));
        }
        return fuzzy(name, unit, specimen, fits);
    }

    private AnalyteMatch fuzzy(String name, String unit, Specimen specimen, Predicate<Analyte> fits) {
        if (name.length() < FUZZY_MIN_LENGTH) {
            return new AnalyteMatch.NoMatch("name not recognised", List.of());
        }
        String digits = DIGITS.matcher(name).replaceAll("");
        Map<Analyte, Double> best = new LinkedHashMap<>();
        List<Analyte> rejected = new ArrayList<>();
        for (Map.Entry<String, List<Analyte>> entry : byName.entrySet()) {
            String alias = entry.getKey();
            if (alias.length() < FUZZY_MIN_LENGTH
                    || !DIGITS.matcher(alias).replaceAll("").equals(digits)) {
                continue;
            }
            int longest = Math.max(alias.length(), name.length());
            int limit = (int) Math.floor(longest * (1 - FUZZY_THRESHOLD));
            Integer edits = new LevenshteinDistance(limit).apply(name, alias);
            if (edits < 0) {
                continue;
            }
            double score = 1.0 - (double) edits / longest;
            for (Analyte analyte : entry.getValue()) {
                if (fits.test(analyte)) {
                    best.merge(analyte, score, Math::max);
                } else {
                    rejected.add(analyte);
                }
            }
        }
        if (best.isEmpty()) {
            return rejected.isEmpty()
                    ? new AnalyteMatch.NoMatch("name not recognised", List.of())
                    : new AnalyteMatch.NoMatch("close names found, but " + rejection(unit, specimen), codes(rejected));
        }
        List<Map.Entry<Analyte, Double>> ranked = best.entrySet().stream()
                .sorted(Map.Entry.<Analyte, Double>comparingByValue(Comparator.reverseOrder()))
                .toList();
        double top = ranked.get(0).getValue();
        List<Analyte> leaders = ranked.stream()
                .filter(entry -> entry.getValue() > top - FUZZY_MARGIN)
                .map(Map.Entry::getKey)
                .toList();
        List<Analyte> preferred = prefer(leaders, unit, specimen);
        if (preferred.size() == 1) {
            return new AnalyteMatch.Matched(
                    preferred.get(0), best.get(preferred.get(0)), AnalyteMatch.Basis.FUZZY, unit);
        }
        return new AnalyteMatch.NoMatch("name is close to more than one analyte", codes(leaders));
    }

    private Predicate<Analyte> fits(String unit, Specimen specimen) {
        return analyte -> (unit == null || acceptsUnit(analyte, unit))
                && (specimen == null || specimen.fits(analyte.specimen()) > 0);
    }

    /**
     * Among codes that all fit, keeps the closest: the specimen named exactly (blood over capillary
     * blood when the report says blood), the unit listed exactly, and without a unit the ordinal codes.
     */
    private static List<Analyte> prefer(List<Analyte> fitting, String unit, Specimen specimen) {
        List<Analyte> kept = fitting;
        if (specimen != null && kept.size() > 1) {
            int closest = kept.stream()
                    .mapToInt(a -> specimen.fits(a.specimen()))
                    .max()
                    .orElse(0);
            kept = kept.stream()
                    .filter(a -> specimen.fits(a.specimen()) == closest)
                    .toList();
        }
        if (unit != null && kept.size() > 1) {
            List<Analyte> listed =
                    kept.stream().filter(a -> a.units().contains(unit)).toList();
            kept = listed.isEmpty() ? kept : listed;
        }
        if (unit == null && kept.size() > 1) {
            List<Analyte> ordinal = kept.stream().filter(a -> !a.quantitative()).toList();
            kept = ordinal.size() == 1 ? ordinal : kept;
        }
        return kept;
    }

    private static AnalyteMatch ambiguous(Collection<Analyte> candidates, String unit, Specimen specimen) {
        String missing = unit == null && specimen == null
                ? " without a unit or specimen"
                : unit == null ? " without a unit" : specimen == null ? " without a specimen" : "";
        return new AnalyteMatch.NoMatch("more than one code fits" + missing, codes(candidates));
    }

    private static String rejection(String unit, Specimen specimen) {
        if (unit != null && specimen != null) {
            return "no code with that name is reported in " + unit + " on " + specimen.written();
        }
        return unit != null
                ? "no code with that name is reported in " + unit
                : "no code with that name is measured on " + specimen.written();
    }

    private static List<String> codes(Collection<Analyte> analytes) {
        return analytes.stream().map(Analyte::code).distinct().toList();
    }

    /** Case, accents, punctuation and spacing do not distinguish names; %, #, / and + do. */
    static String nameKey(String name) {
        if (name == null) {
            return "";
        }
        String plain = Normalizer.normalize(name, Normalizer.Form.NFKD).replaceAll("\\p{M}+", "");
        return NOT_NAME.matcher(plain.toLowerCase(Locale.ROOT).replace(':', '/'))
                .replaceAll(" ")
                .strip();
    }

    private static Map<String, List<Analyte>> freeze(Map<String, List<Analyte>> index) {
        Map<String, List<Analyte>> frozen = new LinkedHashMap<>();
        index.forEach((key, value) -> frozen.put(key, List.copyOf(value)));
        return Collections.unmodifiableMap(frozen);
    }
}
