package health.vigil.ingestion.device;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 digests in hex, for ids derived from content. */
final class Digests {

    private Digests() {}

    /** The first {@code bytes} bytes of the SHA-256 of {@code text} (UTF-8), in hex. */
    static String sha256Prefix(String text, int bytes) {
        return HexFormat.of().formatHex(sha256(text.getBytes(StandardCharsets.UTF_8)), 0, bytes);
    }

    /** The SHA-256 of {@code content}, in hex. */
    static String sha256Hex(byte[] content) {
        return HexFormat.of().formatHex(sha256(content));
    }

    private static byte[] sha256(byte[] content) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(content);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
