package health.vigil.interceptors.audit;

import ca.uhn.fhir.rest.annotation.Operation;
import health.vigil.interceptors.api.AuditStorage;
import health.vigil.interceptors.api.AuditStorage.ChainHead;
import health.vigil.interceptors.audit.AuditChain.Verification;
import health.vigil.interceptors.audit.AuditChain.Verifier;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;

/**
 * {@code $verify-audit}: walks the whole retained audit trail in sequence order and reports whether
 * the hash chain is intact, or the first broken link: which event, and why (its content was changed,
 * an event before it was removed or inserted, its predecessor hash is not the previous event's).
 *
 * <p>Out: {@code intact}, {@code verified} (the sequence number of the last event that fits),
 * {@code head} (the newest hash: keep it elsewhere to anchor the chain), {@code anchor} (where the
 * retained chain starts), and when broken {@code brokenAt}, {@code brokenEvent} and {@code reason}. A
 * stored head that the walk does not reach (the newest events were removed) is broken too.
 */
final class VerifyAuditOperationProvider {

    private static final int PAGE = 1000;

    private final AuditStorage storage;
    private final AuditChain chain;

    VerifyAuditOperationProvider(AuditStorage storage, AuditChain chain) {
        this.storage = storage;
        this.chain = chain;
    }

    @Operation(name = "$verify-audit", idempotent = true)
    public Parameters verifyAudit() {
        ChainHead head = storage.head();
        Verification result = walk(head);
        Parameters answer = new Parameters();
        answer.addParameter("intact", new BooleanType(result.intact()));
        answer.addParameter("verified", new StringType(Long.toString(result.verified())));
        answer.addParameter("head", new StringType(result.head()));
        answer.addParameter("anchor", new StringType(Long.toString(head.anchorSequence())));
        result.brokenAt().ifPresent(at -> answer.addParameter("brokenAt", new StringType(Long.toString(at))));
        result.brokenEvent()
                .ifPresent(
                        id -> answer.addParameter().setName("brokenEvent").setValue(new Reference("AuditEvent/" + id)));
        result.reason().ifPresent(reason -> answer.addParameter("reason", new StringType(reason)));
        return answer;
    }

    private Verification walk(ChainHead head) {
        Verifier verifier = chain.verifier(head.anchorSequence(), head.anchorHash());
        long from = head.anchorSequence() + 1;
        while (true) {
            List<AuditEvent> page = storage.read(from, PAGE);
            for (AuditEvent event : page) {
                Optional<Verification> broken = verifier.accept(event);
                if (broken.isPresent()) {
                    return broken.get();
                }
            }
            if (page.size() < PAGE) {
                break;
            }
            from = verifier.expected();
        }
        Verification walked = verifier.intact();
        if (walked.verified() != head.sequence() || !walked.head().equals(head.hash())) {
            return new Verification(
                    false,
                    walked.verified(),
                    walked.head(),
                    Optional.of(walked.verified() + 1),
                    Optional.empty(),
                    Optional.of("the trail ends at sequence " + walked.verified() + " but its recorded head is "
                            + head.sequence() + ": newer events were removed"));
        }
        return walked;
    }
}
