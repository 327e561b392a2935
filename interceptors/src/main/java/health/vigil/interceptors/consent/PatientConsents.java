package health.vigil.interceptors.consent;

import health.vigil.interceptors.consent.ConsentDecision.Effect;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One patient's consents as they apply to one requester (actor, client, purpose, at one time): the
 * provisions whose actor, purpose, action or period do not fit the requester are already gone, what is
 * left tests only the resource. Built once per (patient, requester, purpose) and cached; deciding on a
 * resource then needs no database access.
 *
 * @param patientId the patient
 * @param ownData the requester is the patient
 * @param breaksGlass the requester uses emergency access and may
 * @param consents the patient's active privacy Consents that speak to this requester
 */
record PatientConsents(String patientId, boolean ownData, boolean breaksGlass, List<CompiledConsent> consents) {

    PatientConsents {
        consents = List.copyOf(consents);
    }

    /** An active Consent, reduced to the requester. */
    record CompiledConsent(String reference, Provision root) {}

    /**
     * A provision reduced to its resource criteria; each kind is any-of, all kinds must match.
     *
     * @param path where it is in the Consent ({@code provision.provision[0]})
     * @param effect permit or deny when it matches
     * @param classes resource types ({@code provision.class})
     * @param codes {@code system|code} of {@code provision.code}
     * @param securityLabels {@code system|code} of {@code provision.securityLabel}
     * @param data {@code Type/id} of {@code provision.data}
     * @param dataStart start of {@code provision.dataPeriod}
     * @param dataEnd end of {@code provision.dataPeriod}
     * @param children the nested provisions that fit the requester (exceptions to this one)
     */
    record Provision(
            String path,
            Effect effect,
            Set<String> classes,
            Set<String> codes,
            Set<String> securityLabels,
            Set<String> data,
            Optional<Instant> dataStart,
            Optional<Instant> dataEnd,
            List<Provision> children) {

        Provision {
            classes = Set.copyOf(classes);
            codes = Set.copyOf(codes);
            securityLabels = Set.copyOf(securityLabels);
            data = Set.copyOf(data);
            children = List.copyOf(children);
        }

        boolean hasDataPeriod() {
            return dataStart.isPresent() || dataEnd.isPresent();
        }
    }
}
