package health.vigil.terminology.api;

/** The outcome of {@link Units#normalize(String)}: a UCUM code, or why the spelling is not one. */
public sealed interface UnitResult {

    /**
     * @param ucum the UCUM code, e.g. {@code mm[Hg]} for {@code mmHg}
     * @param input the spelling that was normalized
     */
    record Valid(String ucum, String input) implements UnitResult {}

    /**
     * @param input the spelling that was not recognised
     * @param reason why, for the client or a reviewer
     */
    record Invalid(String input, String reason) implements UnitResult {}

    default boolean valid() {
        return this instanceof Valid;
    }
}
