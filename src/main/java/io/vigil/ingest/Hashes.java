package io.vigil.ingest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;

/**
 * Payload hashes (what logs and provenance name instead of the content) and name-based UUIDs. Each thread keeps
 * its own digests: looking one up in the security providers for every call cost more than the hashing of a
 * PCD-01 message's few short names.
 */
public final class Hashes {

    private static final HexFormat HEX = HexFormat.of();
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> digest("SHA-256"));
    private static final ThreadLocal<MessageDigest> MD5 = ThreadLocal.withInitial(() -> digest("MD5"));

    private Hashes() {
    }

    public static String sha256(byte[] payload) {
        MessageDigest sha256 = SHA256.get();
        sha256.reset();
        return HEX.formatHex(sha256.digest(payload));
    }

    /** The first 12 hex digits: enough to find a payload in logs. */
    public static String shortForm(String sha256) {
        return sha256.length() > 12 ? sha256.substring(0, 12) : sha256;
    }

    /** The name-based (version 3, MD5) UUID of the name's UTF-8 bytes: {@link UUID#nameUUIDFromBytes}, as text. */
    public static String nameUuid(String name) {
        MessageDigest md5 = MD5.get();
        md5.reset();
        byte[] hash = md5.digest(name.getBytes(StandardCharsets.UTF_8));
        hash[6] = (byte) ((hash[6] & 0x0f) | 0x30); // version 3
        hash[8] = (byte) ((hash[8] & 0x3f) | 0x80); // IETF variant
        long most = 0;
        long least = 0;
        for (int i = 0; i < 8; i++) {
            most = (most << 8) | (hash[i] & 0xff);
            least = (least << 8) | (hash[i + 8] & 0xff);
        }
        return new UUID(most, least).toString();
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is part of every Java runtime", e);
        }
    }
}
