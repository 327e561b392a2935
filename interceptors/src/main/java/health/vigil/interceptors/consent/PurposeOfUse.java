package health.vigil.interceptors.consent;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import health.vigil.interceptors.api.InterceptorErrors;
import java.util.Set;

/**
 * The purpose of use of a request, from its purpose-of-use header: a code of HL7 v3 ActReason's
 * PurposeOfUse hierarchy, {@code TREAT} when the header is absent. An unknown code is refused (400)
 * rather than read as treatment.
 */
final class PurposeOfUse {

    static final String DEFAULT = "TREAT";

    /** The PurposeOfUse codes of v3 ActReason (terminology.hl7.org), the values the header accepts. */
    static final Set<String> CODES = Set.of(
            "PurposeOfUse",
            "HMARKT",
            "HOPERAT",
            "CAREMGT",
            "DONAT",
            "FRAUD",
            "GOV",
            "HACCRED",
            "HCOMPL",
            "HDECD",
            "HDIRECT",
            "HDM",
            "HLEGAL",
            "HOUTCOMS",
            "HPRGRP",
            "HQUALIMP",
            "HSYSADMIN",
            "LABELING",
            "METAMGT",
            "MEMADMIN",
            "MILCDM",
            "PATADMIN",
            "PATSFTY",
            "PERFMSR",
            "RECORDMGT",
            "SYSDEV",
            "HTEST",
            "TRAIN",
            "HPAYMT",
            "CLMATTCH",
            "COVAUTH",
            "COVERAGE",
            "ELIGDTRM",
            "ELIGVER",
            "ENROLLM",
            "MILDCRG",
            "REMITADV",
            "HRESCH",
            "BIORCH",
            "CLINTRCH",
            "CLINTRCHNPC",
            "CLINTRCHPC",
            "PRECLINTRCH",
            "DSRCH",
            "POARCH",
            "TRANSRCH",
            "PATRQT",
            "FAMRQT",
            "PWATRNY",
            "SUPNWK",
            "PUBHLTH",
            "DISASTER",
            "THREAT",
            "TREAT",
            "CLINTRL",
            "COC",
            "ETREAT",
            "BTG",
            "ERTREAT",
            "POPHLTH");

    private final String header;

    PurposeOfUse(String header) {
        this.header = header;
    }

    String header() {
        return header;
    }

    String of(RequestDetails request) {
        String value = request.getHeader(header);
        if (value == null || value.isBlank()) {
            return DEFAULT;
        }
        String code = value.trim();
        int bar = code.lastIndexOf('|');
        if (bar >= 0) {
            // system|code, as in token search parameters; only v3 ActReason is understood.
            String system = code.substring(0, bar);
            if (!system.isEmpty() && !ConsentRequester.PURPOSE_SYSTEM.equals(system)) {
                throw invalid(value);
            }
            code = code.substring(bar + 1);
        }
        if (!CODES.contains(code)) {
            throw invalid(value);
        }
        // BTG ("break the glass") is ETREAT by another name.
        return "BTG".equals(code) ? ConsentRequester.BREAK_GLASS_PURPOSE : code;
    }

    private InvalidRequestException invalid(String value) {
        return new InvalidRequestException(InterceptorErrors.INVALID_PURPOSE_OF_USE.message("the " + header
                + " header must be a purpose-of-use code of " + ConsentRequester.PURPOSE_SYSTEM
                + " (such as TREAT, ETREAT, HPAYMT, HRESCH), not '" + value + "'"));
    }
}
