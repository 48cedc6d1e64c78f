package io.github.tokenintrospection.internal.possession;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.jspecify.annotations.Nullable;

/**
 * Server nonces for DPoP proofs (RFC 9449 section 9), stateless: a nonce is its time
 * window and a MAC of it under a secret, so any instance with the same secret accepts
 * another's nonce without shared state. A nonce is valid in its window and the next one
 * (a client that just received one is not turned away at a window's end).
 */
public final class DPoPNonces {

	private static final int WINDOW_BYTES = Long.BYTES;

	private static final int MAC_BYTES = 16;

	private final byte[] secret;

	private final long windowMillis;

	private final Clock clock;

	/**
	 * Creates the nonces.
	 * @param secret the MAC key, at least 32 bytes, the same on every instance
	 * @param lifetime the length of a window
	 * @param clock the clock the windows follow
	 */
	public DPoPNonces(byte[] secret, Duration lifetime, Clock clock) {
		this.secret = secret.clone();
		this.windowMillis = lifetime.toMillis();
		this.clock = clock;
	}

	/**
	 * A nonce of the current window, for a {@code DPoP-Nonce} header.
	 * @return the nonce, base64url
	 */
	public String current() {
		return encode(window());
	}

	/**
	 * Whether a proof's {@code nonce} claim is one this server issued, of the current or
	 * the previous window.
	 * @param nonce the claim's value, or {@code null}
	 * @return {@code true} when it is valid
	 */
	public boolean isValid(@Nullable String nonce) {
		if (nonce == null || nonce.length() > 64) {
			return false;
		}
		byte[] decoded;
		try {
			decoded = Base64.getUrlDecoder().decode(nonce);
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
		if (decoded.length != WINDOW_BYTES + MAC_BYTES) {
			return false;
		}
		long window = ByteBuffer.wrap(decoded, 0, WINDOW_BYTES).getLong();
		long now = window();
		if (window != now && window != now - 1) {
			return false;
		}
		byte[] expected = Base64.getUrlDecoder().decode(encode(window));
		return MessageDigest.isEqual(expected, decoded);
	}

	private long window() {
		return Math.floorDiv(this.clock.millis(), this.windowMillis);
	}

	private String encode(long window) {
		ByteBuffer nonce = ByteBuffer.allocate(WINDOW_BYTES + MAC_BYTES);
		nonce.putLong(window);
		nonce.put(mac(window), 0, MAC_BYTES);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(nonce.array());
	}

	private byte[] mac(long window) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(this.secret, "HmacSHA256"));
			return mac.doFinal(ByteBuffer.allocate(WINDOW_BYTES).putLong(window).array());
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA256 is not available", ex);
		}
	}

}
