package health.vigil.interceptors.consent;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import health.vigil.interceptors.api.SubscriptionConsent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * {@link SubscriptionConsent} over the {@link ConsentService}: the stamp is the creator's
 * {@link ConsentRequester}, one channel extension per field, decided on under the Consents in force
 * when each notification goes out. A Subscription without a stamp (created by the server, or in open
 * mode) is not filtered.
 */
final class PolicySubscriptionConsent implements SubscriptionConsent {

    static final String PREFIX = "https://vigil.health/fhir/StructureDefinition/subscription-requester-";
    private static final String ACTOR = PREFIX + "actor";
    private static final String CLIENT = PREFIX + "client";
    private static final String PATIENT = PREFIX + "patient";
    private static final String PURPOSE = PREFIX + "purpose";
    private static final String BREAK_GLASS = PREFIX + "break-glass";

    private final ConsentService service;

    PolicySubscriptionConsent(ConsentService service) {
        this.service = service;
    }

    @Override
    public Map<String, List<String>> requester(RequestDetails request) {
        Map<String, List<String>> stamp = new LinkedHashMap<>();
        RequestConsent.of(request).ifPresent(state -> {
            ConsentRequester requester = state.requester();
            stamp.put(ACTOR, List.copyOf(requester.actors()));
            stamp.put(CLIENT, List.of(requester.clientId()));
            requester.patient().ifPresent(patient -> stamp.put(PATIENT, List.of(patient)));
            stamp.put(PURPOSE, List.of(requester.purpose()));
            stamp.put(BREAK_GLASS, List.of(Boolean.toString(requester.mayBreakGlass())));
        });
        return stamp;
    }

    @Override
    public boolean permits(Function<String, List<String>> stamp, IBaseResource resource) {
        List<String> purpose = values(stamp, PURPOSE);
        if (purpose.isEmpty()) {
            return true;
        }
        ConsentRequester requester = new ConsentRequester(
                Set.copyOf(values(stamp, ACTOR)),
                first(stamp, CLIENT).orElse(""),
                first(stamp, PATIENT),
                purpose.get(0),
                first(stamp, BREAK_GLASS).map(Boolean::parseBoolean).orElse(false));
        return service.decide(requester, resource).permits();
    }

    @Override
    public boolean isStamp(String url) {
        return url != null && url.startsWith(PREFIX);
    }

    private static Optional<String> first(Function<String, List<String>> stamp, String url) {
        return values(stamp, url).stream().findFirst();
    }

    private static List<String> values(Function<String, List<String>> stamp, String url) {
        List<String> values = stamp.apply(url);
        return values == null ? List.of() : values;
    }
}
