package io.starling.net.blob;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A blob's content address: the lower-case hex SHA-256 of its bytes. Parsing checks the form, so
 * a digest that reached a {@link BlobStore} can safely be used as a file name.
 */
public record BlobDigest(String hex) {
    private static final int HEX_LENGTH = 64;

    public BlobDigest {
        Objects.requireNonNull(hex, "hex");
        if (!isWellFormed(hex)) {
            throw new IllegalArgumentException(
                    "a digest is 64 lower-case hex characters (SHA-256), got '" + abbreviate(hex) + "'");
        }
    }

    /** Parses an untrusted digest string; see {@link #BlobDigest(String)} for the form. */
    public static BlobDigest parse(String hex) {
        return new BlobDigest(hex);
    }

    /** True when {@code s} is 64 characters of [0-9a-f]. */
    public static boolean isWellFormed(String s) {
        if (s == null || s.length() != HEX_LENGTH) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    /** The digest of {@code bytes}. */
    public static BlobDigest of(byte[] bytes) {
        MessageDigest sha = sha256();
        return fromRaw(sha.digest(bytes));
    }

    /** The digest of a file's contents, read in a stream. */
    public static BlobDigest ofFile(Path file) throws IOException {
        MessageDigest sha = sha256();
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                sha.update(buf, 0, n);
            }
        }
        return fromRaw(sha.digest());
    }

    /** Wraps the raw 32 bytes of a finished SHA-256. */
    public static BlobDigest fromRaw(byte[] raw) {
        return new BlobDigest(HexFormat.of().formatHex(raw));
    }

    /** A fresh SHA-256 instance for incremental hashing. */
    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JDK", e);
        }
    }

    /** The first 12 characters, for logs. */
    public String shortHex() {
        return hex.substring(0, 12);
    }

    @Override
    public String toString() {
        return hex;
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "...(" + s.length() + " chars)";
    }
}
