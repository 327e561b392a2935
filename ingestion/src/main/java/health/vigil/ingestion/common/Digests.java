package health.vigil.ingestion.common;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Digests of content: SHA-256 in hex for ids derived from content, SHA-1 for FHIR attachment hashes. */
public final class Digests {

    private Digests() {}

    /** The first {@code bytes} bytes of the SHA-256 of {@code text} (UTF-8), in hex. */
    public static String sha256Prefix(String text, int bytes) {
        return HexFormat.of().formatHex(sha256(text.getBytes(StandardCharsets.UTF_8)), 0, bytes);
    }

    /** The SHA-256 of {@code content}, in hex. */
    public static String sha256Hex(byte[] content) {
        return HexFormat.of().formatHex(sha256(content));
    }

    /** The SHA-1 of {@code content}, as FHIR R4's {@code Attachment.hash} holds it. */
    public static byte[] sha1(byte[] content) {
        return digest("SHA-1", content);
    }

    private static byte[] sha256(byte[] content) {
        return digest("SHA-256", content);
    }

    private static byte[] digest(String algorithm, byte[] content) {
        try {
            return MessageDigest.getInstance(algorithm).digest(content);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has " + algorithm, e);
        }
    }
}
