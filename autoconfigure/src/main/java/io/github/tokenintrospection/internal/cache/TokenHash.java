package io.github.tokenintrospection.internal.cache;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * SHA-256 of a token, the only form in which a token is used as a cache key.
 */
public final class TokenHash {

	private static final MessageDigest PROTOTYPE = newDigest();

	/**
	 * Hex digits of a fingerprint (48 bits): enough to tell tokens apart in logs, too few
	 * to guess one.
	 */
	public static final int FINGERPRINT_LENGTH = 12;

	private static final HexFormat HEX = HexFormat.of();

	private TokenHash() {
	}

	public static String sha256Hex(String token) {
		return HEX.formatHex(digest().digest(token.getBytes(StandardCharsets.UTF_8)));
	}

	/**
	 * The token's fingerprint: the first {@value #FINGERPRINT_LENGTH} hex digits of its
	 * hash.
	 */
	public static String fingerprint(String token) {
		return fingerprintOfHash(sha256Hex(token));
	}

	/** The fingerprint of a token known only by its {@link #sha256Hex(String) hash}. */
	public static String fingerprintOfHash(String sha256Hex) {
		return sha256Hex.substring(0, FINGERPRINT_LENGTH);
	}

	private static MessageDigest digest() {
		try {
			// Cloning a configured digest is cheaper than looking the algorithm up per
			// request.
			return (MessageDigest) PROTOTYPE.clone();
		}
		catch (CloneNotSupportedException ex) {
			return newDigest();
		}
	}

	private static MessageDigest newDigest() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is required of every Java platform", ex);
		}
	}

	/**
	 * Returns the HMAC-SHA256 of a text under a key: keys derived from the cache's
	 * encryption key, and identifiers hashed under them.
	 * @param key the key
	 * @param text the text (UTF-8)
	 * @return the 32-byte MAC
	 */
	public static byte[] hmacSha256(byte[] key, String text) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(key, "HmacSHA256"));
			return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA256 is not available", ex);
		}
	}

}
