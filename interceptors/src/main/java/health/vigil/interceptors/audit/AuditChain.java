package health.vigil.interceptors.audit;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.StringType;

/**
 * The hash chain that makes the audit trail tamper-evident. Each AuditEvent carries, in the extension
 * {@value #EXTENSION}, its place in the chain ({@code sequence}), the hash of its predecessor
 * ({@code previous}) and its own hash ({@code hash}): SHA-256 over the predecessor's hash and the
 * event's canonical JSON (without id, meta and its own {@code hash}). Editing, deleting or inserting
 * any stored event breaks the chain at that point; {@link #verify} finds the first broken link.
 *
 * <p>A chain only proves itself up to its newest link: whoever can rewrite the database can also
 * rewrite every later hash. Keeping the newest hash elsewhere (the log prints it, {@code $verify-audit}
 * reports it) anchors the chain.
 */
final class AuditChain {

    static final String EXTENSION = "https://vigil.health/fhir/StructureDefinition/audit-chain";
    /** The predecessor hash of the first event. */
    static final String GENESIS = "0".repeat(64);

    private final IParser canonical;

    AuditChain(FhirContext fhirContext) {
        this.canonical = fhirContext.newJsonParser().setPrettyPrint(false).setOmitResourceId(true);
    }

    /** Links an event into the chain after the event with hash {@code previousHash}; returns its hash. */
    String link(AuditEvent event, long sequence, String previousHash) {
        event.getExtension().removeIf(extension -> EXTENSION.equals(extension.getUrl()));
        Extension chain = event.addExtension().setUrl(EXTENSION);
        chain.addExtension("sequence", new StringType(Long.toString(sequence)));
        chain.addExtension("previous", new StringType(previousHash));
        String hash = hash(event, previousHash);
        chain.addExtension("hash", new StringType(hash));
        return hash;
    }

    /**
     * Walks events in sequence order from the first and reports the first that does not fit: a hash
     * that does not match the content, a predecessor hash that is not the previous event's, or a gap
     * in the sequence.
     */
    Verification verify(List<AuditEvent> events) {
        Verifier verifier = verifier(0, GENESIS);
        for (AuditEvent event : events) {
            Optional<Verification> broken = verifier.accept(event);
            if (broken.isPresent()) {
                return broken.get();
            }
        }
        return verifier.intact();
    }

    /**
     * A walk of the chain that starts after the event {@code afterSequence} with hash {@code previous}
     * (0 and {@link #GENESIS} for the start of the trail, the retention anchor otherwise); events are
     * fed in sequence order.
     */
    Verifier verifier(long afterSequence, String previous) {
        return new Verifier(afterSequence + 1, previous);
    }

    /** Checks events one by one, holding only the previous hash. */
    final class Verifier {
        private long expected;
        private String previous;

        private Verifier(long expected, String previous) {
            this.expected = expected;
            this.previous = previous;
        }

        /** The broken link this event makes, or empty if it fits. */
        Optional<Verification> accept(AuditEvent event) {
            Optional<Link> link = link(event);
            String id = event.getIdElement().getIdPart();
            if (link.isEmpty()) {
                return Optional.of(Verification.broken(expected, id, "the event carries no chain link", previous));
            }
            if (link.get().sequence() != expected) {
                return Optional.of(Verification.broken(
                        expected, id, "sequence " + link.get().sequence() + " follows " + (expected - 1), previous));
            }
            if (!link.get().previous().equals(previous)) {
                return Optional.of(Verification.broken(
                        expected, id, "its predecessor hash is not the previous event's hash", previous));
            }
            if (!link.get().hash().equals(hash(event, previous))) {
                return Optional.of(Verification.broken(expected, id, "its content does not match its hash", previous));
            }
            previous = link.get().hash();
            expected++;
            return Optional.empty();
        }

        /** The result when every event fed fitted. */
        Verification intact() {
            return new Verification(true, expected - 1, previous, Optional.empty(), Optional.empty(), Optional.empty());
        }

        /** The sequence number the next event must have. */
        long expected() {
            return expected;
        }
    }

    /** The chain link an event carries, if any. */
    static Optional<Link> link(AuditEvent event) {
        Extension chain = event.getExtensionByUrl(EXTENSION);
        if (chain == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(
                    new Link(Long.parseLong(value(chain, "sequence")), value(chain, "previous"), value(chain, "hash")));
        } catch (RuntimeException malformed) {
            return Optional.empty();
        }
    }

    private String hash(AuditEvent event, String previousHash) {
        AuditEvent copy = event.copy();
        copy.setMeta(null);
        copy.setId((String) null);
        Extension chain = copy.getExtensionByUrl(EXTENSION);
        if (chain != null) {
            chain.getExtension().removeIf(part -> "hash".equals(part.getUrl()));
        }
        String json = canonical.encodeResourceToString(copy);
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(previousHash.getBytes(StandardCharsets.US_ASCII));
            digest.update((byte) '\n');
            digest.update(json.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static String value(Extension chain, String part) {
        return ((StringType) chain.getExtensionByUrl(part).getValue()).getValue();
    }

    /** An event's place in the chain. */
    record Link(long sequence, String previous, String hash) {}

    /**
     * The result of walking the chain.
     *
     * @param intact every event fits
     * @param verified the sequence number of the last event that fits (the newest, if intact)
     * @param head the hash of the last verified event: keep it to anchor the chain
     * @param brokenAt the sequence number where the chain breaks
     * @param brokenEvent the id of the event that breaks it
     * @param reason why it does not fit
     */
    record Verification(
            boolean intact,
            long verified,
            String head,
            Optional<Long> brokenAt,
            Optional<String> brokenEvent,
            Optional<String> reason) {

        static Verification broken(long sequence, String id, String reason, String head) {
            return new Verification(
                    false, sequence - 1, head, Optional.of(sequence), Optional.of(id), Optional.of(reason));
        }
    }
}
