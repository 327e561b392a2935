package health.vigil.interceptors.consent;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.bulk.BulkExportJobParameters;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * Consent for Bulk Data {@code $export}. The export runs later, as a batch job without the request, so
 * the requester is written into the job's parameters when the export is started, and every resource
 * the job is about to write to an NDJSON file is decided on for that requester, under the Consents as
 * they are when the job runs: the files hold only what the requester may see. Registered on the storage interceptor service, where the batch job
 * calls it.
 */
@Interceptor
final class BulkExportConsentInterceptor {

    private static final String PREFIX = "vigil.consent.";
    private static final String ACTORS = PREFIX + "actors";
    private static final String CLIENT = PREFIX + "client";
    private static final String PATIENT = PREFIX + "patient";
    private static final String PURPOSE = PREFIX + "purpose";
    private static final String BREAK_GLASS = PREFIX + "break-glass";

    private final ConsentService service;

    BulkExportConsentInterceptor(ConsentService service) {
        this.service = service;
    }

    @Hook(Pointcut.STORAGE_INITIATE_BULK_EXPORT)
    public void started(BulkExportJobParameters parameters, RequestDetails request) {
        RequestConsent.of(request).ifPresent(state -> {
            ConsentRequester requester = state.requester();
            parameters.setUserData(ACTORS, String.join("\n", requester.actors()));
            parameters.setUserData(CLIENT, requester.clientId());
            parameters.setUserData(PATIENT, requester.patient().orElse(null));
            parameters.setUserData(PURPOSE, requester.purpose());
            parameters.setUserData(BREAK_GLASS, requester.mayBreakGlass());
        });
    }

    @Hook(Pointcut.STORAGE_BULK_EXPORT_RESOURCE_INCLUSION)
    public boolean include(BulkExportJobParameters parameters, IBaseResource resource) {
        return requester(parameters)
                .map(requester -> service.decide(requester, resource).permits())
                .orElse(true);
    }

    private static Optional<ConsentRequester> requester(BulkExportJobParameters parameters) {
        Map<String, Object> data = parameters.getUserData();
        if (!(data.get(PURPOSE) instanceof String purpose)) {
            // Started by a requester nothing could be hidden from, or by the server itself.
            return Optional.empty();
        }
        String actors = String.valueOf(data.getOrDefault(ACTORS, ""));
        return Optional.of(new ConsentRequester(
                actors.isEmpty() ? Set.of() : Set.copyOf(Arrays.asList(actors.split("\n"))),
                String.valueOf(data.getOrDefault(CLIENT, "")),
                Optional.ofNullable((String) data.get(PATIENT)),
                purpose,
                Boolean.TRUE.equals(data.get(BREAK_GLASS))));
    }
}
