package io.starling.raft.grpc;

import io.grpc.Metadata;
import io.starling.core.StarlingException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;

/**
 * The shared secret that authorises membership changes ({@code Cluster.AddMember},
 * {@code RemoveMember}, {@code TransferLeadership}) on a replica group: every replica is
 * configured with the same token and an operator presents it in the {@value #HEADER_NAME} header
 * ({@code starling cluster ... --token-file FILE}). One line of 16..256 visible ASCII characters,
 * e.g. made by {@code openssl rand -hex 32}. {@link #toString} never shows it.
 */
public final class AdminToken {
    /** The request header that carries the token. */
    public static final String HEADER_NAME = "starling-admin-token";
    /** {@link #HEADER_NAME} as a gRPC metadata key. */
    public static final Metadata.Key<String> HEADER = Metadata.Key.of(HEADER_NAME, Metadata.ASCII_STRING_MARSHALLER);
    public static final int MIN_CHARS = 16;
    public static final int MAX_CHARS = 256;
    /** Largest token file read (a token plus a comment or trailing newlines, never a mistaken big file). */
    private static final long MAX_FILE_BYTES = 4096;

    private final byte[] secret;

    private AdminToken(byte[] secret) {
        this.secret = secret;
    }

    /**
     * @throws IllegalArgumentException if {@code value} is not 16..256 visible ASCII characters
     */
    public static AdminToken of(String value) {
        if (value == null || value.length() < MIN_CHARS || value.length() > MAX_CHARS) {
            throw new IllegalArgumentException("an admin token must be " + MIN_CHARS + ".." + MAX_CHARS
                    + " characters, got " + (value == null ? "none" : value.length())
                    + "; make one with `openssl rand -hex 32`");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                throw new IllegalArgumentException("an admin token must be visible ASCII without spaces"
                        + " (character " + i + " is not); make one with `openssl rand -hex 32`");
            }
        }
        return new AdminToken(value.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * Reads the token from the first line of {@code file} (surrounding whitespace ignored).
     *
     * @throws StarlingException naming the file when it cannot be read or holds no valid token
     */
    public static AdminToken readFile(Path file) {
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw new StarlingException("admin token file " + file + " is " + size + " bytes; it should hold one"
                        + " line of " + MIN_CHARS + ".." + MAX_CHARS + " characters");
            }
            String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
            int newline = text.indexOf('\n');
            return of(newline < 0 ? text : text.substring(0, newline).strip());
        } catch (IOException e) {
            throw new StarlingException("cannot read admin token file " + file + ": " + e, e);
        } catch (IllegalArgumentException e) {
            throw new StarlingException("admin token file " + file + ": " + e.getMessage(), e);
        }
    }

    /** The token as sent in {@link #HEADER}. */
    public String value() {
        return new String(secret, StandardCharsets.US_ASCII);
    }

    /** True if {@code presented} is this token; takes the same time wherever the first difference is. */
    public boolean matches(String presented) {
        return presented != null
                && MessageDigest.isEqual(secret, presented.getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public String toString() {
        return "AdminToken[hidden]";
    }
}
