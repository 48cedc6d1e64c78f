package io.github.tokenintrospection.internal.jwt;

import io.github.tokenintrospection.IntrospectedToken;
import io.github.tokenintrospection.internal.cache.TokenHash;
import io.github.tokenintrospection.observation.CacheStatus;

/**
 * Where {@link LocalJwtRouter} sends a token.
 */
public sealed interface JwtRoute {

	/**
	 * Not for local verification (not a JWS of the issuer, unknown key...): introspect
	 * it.
	 */
	JwtRoute INTROSPECT = new Introspect();

	/** Introspect the token, as without local verification. */
	record Introspect() implements JwtRoute {
	}

	/**
	 * The issuer's JWT, to verify with its keys; {@link LocalJwtRouter#verify(Verify)}
	 * finishes it.
	 *
	 * @param token the raw token
	 * @param kid the key id its header names
	 */
	record Verify(String token, String kid) implements JwtRoute {
	}

	/**
	 * Refused here: the issuer's token with an algorithm outside the allow-list, or a bad
	 * signature. Never introspected.
	 *
	 * @param reason the reason code for listeners ({@code algorithm},
	 * {@code verification})
	 * @param description why, safe to log
	 */
	record Rejected(String reason, String description) implements JwtRoute {
	}

	/**
	 * Verified here: its claims go through the same decision as an introspection result.
	 *
	 * @param token the verified claims
	 * @param cacheStatus {@code HIT} when verified shortly before and found in the cache
	 * of verified JWTs, {@code MISS} when verified now, {@code NONE} without that cache
	 * @param sha256Hex the token's SHA-256, computed once
	 */
	record Accepted(IntrospectedToken token, CacheStatus cacheStatus, String sha256Hex) implements JwtRoute {

		/**
		 * The token's fingerprint, as listeners see it.
		 * @return a short prefix of its hash
		 */
		public String fingerprint() {
			return TokenHash.fingerprintOfHash(this.sha256Hex);
		}

	}

}
