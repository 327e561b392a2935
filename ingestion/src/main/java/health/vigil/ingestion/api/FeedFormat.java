package health.vigil.ingestion.api;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The device-feed formats Vigil reads, each with the name a request may give it ({@code format=...}). */
public enum FeedFormat {
    /** JSON device messages read by the configured templates (JSONPath). */
    TEMPLATE_JSON("template-json"),
    /** Open mHealth data points (one, or an array), validated against their schemas' rules. */
    OPEN_MHEALTH("open-mhealth"),
    /** An Apple Health export: {@code export.xml}, or the zip the Health app writes. */
    APPLE_HEALTH("apple-health"),
    /** HL7 v2 ORU^R01 lab results (ER7, pipe-delimited). */
    HL7V2("hl7v2");

    private final String parameterName;

    FeedFormat(String parameterName) {
        this.parameterName = parameterName;
    }

    /** The name in requests and docs, e.g. {@code apple-health}. */
    public String parameterName() {
        return parameterName;
    }

    /** The format a request names, ignoring case. */
    public static Optional<FeedFormat> named(String name) {
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values())
                .filter(format -> format.parameterName.equals(wanted))
                .findFirst();
    }
}
