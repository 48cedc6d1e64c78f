package io.github.tokenintrospection.cache;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 of a token, the only form in which a token is used as a cache key.
 */
final class TokenHash {

	private static final MessageDigest PROTOTYPE = newDigest();

	private static final HexFormat HEX = HexFormat.of();

	private TokenHash() {
	}

	static String sha256Hex(String token) {
		return HEX.formatHex(digest().digest(token.getBytes(StandardCharsets.UTF_8)));
	}

	private static MessageDigest digest() {
		try {
			// Cloning a configured digest is cheaper than looking the algorithm up per request.
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

}
