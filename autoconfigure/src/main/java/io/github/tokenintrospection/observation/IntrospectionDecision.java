package io.github.tokenintrospection.observation;

import java.util.List;

import io.github.tokenintrospection.IntrospectedToken;

/**
 * The starter's verdict on one request's token, as seen by listeners. Carries the token's
 * fingerprint, never the token.
 *
 * @param outcome accepted, rejected, or error when the authorization server could not be
 * asked
 * @param reasons why a token was rejected ({@code inactive}, {@code expired},
 * {@code audience}, {@code issuer}, {@code scope}, {@code token_type},
 * {@code custom}...), or {@code unavailable}; empty when accepted
 * @param cacheStatus where the introspection result came from
 * @param tokenFingerprint a short, non-reversible prefix of the token's SHA-256
 * @param token the introspection result (its claims),
 * {@link IntrospectedToken#inactive()} when there is none
 */
public record IntrospectionDecision(Outcome outcome, List<String> reasons, CacheStatus cacheStatus,
		String tokenFingerprint, IntrospectedToken token) {

	/**
	 * The kind of verdict.
	 */
	public enum Outcome {

		/** The token is valid: the request is authenticated. */
		ACCEPTED,

		/** The token is invalid: 401. */
		REJECTED,

		/** The authorization server could not be asked: 503. */
		ERROR;

		/**
		 * Returns the lower-case name used in metric tags and audit lines.
		 * @return the tag value
		 */
		public String tagValue() {
			return name().toLowerCase(java.util.Locale.ROOT);
		}

	}

}
