package health.vigil.terminology.api;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** A specimen as a report names it, compared with LOINC's SYSTEM axis. */
final class Specimen {

    enum Kind {
        SERUM,
        PLASMA,
        PLATELET_POOR_PLASMA,
        BLOOD,
        ARTERIAL_BLOOD,
        VENOUS_BLOOD,
        CAPILLARY_BLOOD,
        URINE
    }

    private static final Map<String, Set<Kind>> WORDS = Map.ofEntries(
            Map.entry("serum", EnumSet.of(Kind.SERUM)),
            Map.entry("ser", EnumSet.of(Kind.SERUM)),
            Map.entry("plasma", EnumSet.of(Kind.PLASMA)),
            Map.entry("plas", EnumSet.of(Kind.PLASMA)),
            Map.entry("serum or plasma", EnumSet.of(Kind.SERUM, Kind.PLASMA)),
            Map.entry("serum/plasma", EnumSet.of(Kind.SERUM, Kind.PLASMA)),
            Map.entry("ser/plas", EnumSet.of(Kind.SERUM, Kind.PLASMA)),
            Map.entry("ppp", EnumSet.of(Kind.PLATELET_POOR_PLASMA)),
            Map.entry("platelet poor plasma", EnumSet.of(Kind.PLATELET_POOR_PLASMA)),
            Map.entry("citrated plasma", EnumSet.of(Kind.PLATELET_POOR_PLASMA)),
            Map.entry("blood", EnumSet.of(Kind.BLOOD)),
            Map.entry("whole blood", EnumSet.of(Kind.BLOOD)),
            Map.entry("bld", EnumSet.of(Kind.BLOOD)),
            Map.entry("arterial blood", EnumSet.of(Kind.ARTERIAL_BLOOD)),
            Map.entry("arterial", EnumSet.of(Kind.ARTERIAL_BLOOD)),
            Map.entry("blda", EnumSet.of(Kind.ARTERIAL_BLOOD)),
            Map.entry("venous blood", EnumSet.of(Kind.VENOUS_BLOOD)),
            Map.entry("venous", EnumSet.of(Kind.VENOUS_BLOOD)),
            Map.entry("bldv", EnumSet.of(Kind.VENOUS_BLOOD)),
            Map.entry("capillary blood", EnumSet.of(Kind.CAPILLARY_BLOOD)),
            Map.entry("capillary", EnumSet.of(Kind.CAPILLARY_BLOOD)),
            Map.entry("bldc", EnumSet.of(Kind.CAPILLARY_BLOOD)),
            Map.entry("fingerstick", EnumSet.of(Kind.CAPILLARY_BLOOD)),
            Map.entry("urine", EnumSet.of(Kind.URINE)),
            Map.entry("urine sed", EnumSet.of(Kind.URINE)),
            Map.entry("24h^urine", EnumSet.of(Kind.URINE)),
            Map.entry("urine+ser/plas", EnumSet.of(Kind.URINE, Kind.SERUM, Kind.PLASMA)),
            Map.entry("ser/plas/bld", EnumSet.of(Kind.SERUM, Kind.PLASMA, Kind.BLOOD)));

    private final String written;
    private final Set<Kind> kinds;

    private Specimen(String written, Set<Kind> kinds) {
        this.written = written;
        this.kinds = kinds;
    }

    /** The specimen a report names, {@code null} when none is named. */
    static Specimen of(String written) {
        if (written == null || written.isBlank()) {
            return null;
        }
        return new Specimen(written.strip(), kinds(written));
    }

    private static Set<Kind> kinds(String written) {
        Set<Kind> kinds = WORDS.get(written.strip().toLowerCase(Locale.ROOT).replaceAll("\\s+", " "));
        return kinds == null ? Set.of() : kinds;
    }

    boolean known() {
        return !kinds.isEmpty();
    }

    String written() {
        return written;
    }

    /**
     * How well a code's LOINC SYSTEM fits this specimen: 2 when it names it, 1 when it names a
     * broader or narrower kind of the same fluid (a blood code for arterial blood, plasma for
     * platelet-poor plasma), 0 when it does not fit.
     */
    int fits(String loincSystem) {
        if (loincSystem == null) {
            return 0;
        }
        Set<Kind> coded = kinds(loincSystem);
        if (coded.isEmpty()) {
            return 0;
        }
        if (coded.containsAll(kinds)) {
            return 2;
        }
        for (Kind kind : kinds) {
            for (Kind other : coded) {
                if (related(kind, other)) {
                    return 1;
                }
            }
        }
        return 0;
    }

    private static boolean related(Kind a, Kind b) {
        // Generic blood covers arterial, venous and capillary blood, but those are not each other.
        return (a == Kind.BLOOD && blood(b))
                || (b == Kind.BLOOD && blood(a))
                || (a == Kind.PLASMA && b == Kind.PLATELET_POOR_PLASMA)
                || (b == Kind.PLASMA && a == Kind.PLATELET_POOR_PLASMA);
    }

    private static boolean blood(Kind kind) {
        return kind == Kind.BLOOD
                || kind == Kind.ARTERIAL_BLOOD
                || kind == Kind.VENOUS_BLOOD
                || kind == Kind.CAPILLARY_BLOOD;
    }
}
