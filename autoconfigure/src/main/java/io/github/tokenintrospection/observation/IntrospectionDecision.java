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
 * @param path how the token was judged: verified locally as a JWT, or introspected
 * @param server the authorization server that judged it: {@value #DEFAULT_SERVER}, or the
 * name of one of {@code token-introspection.authorization-servers}
 */
public record IntrospectionDecision(Outcome outcome, List<String> reasons, CacheStatus cacheStatus,
		String tokenFingerprint, IntrospectedToken token, Path path, String server) {

	/** Name of the authorization server configured by the single-server properties. */
	public static final String DEFAULT_SERVER = "default";

	/**
	 * Creates a decision of the default authorization server.
	 * @param outcome accepted, rejected, or error
	 * @param reasons why a token was rejected
	 * @param cacheStatus where the introspection result came from
	 * @param tokenFingerprint a short, non-reversible prefix of the token's SHA-256
	 * @param token the introspection result
	 * @param path how the token was judged
	 */
	public IntrospectionDecision(Outcome outcome, List<String> reasons, CacheStatus cacheStatus,
			String tokenFingerprint, IntrospectedToken token, Path path) {
		this(outcome, reasons, cacheStatus, tokenFingerprint, token, path, DEFAULT_SERVER);
	}

	/**
	 * Creates a decision on an introspected token (the shape before local JWT
	 * verification).
	 * @param outcome accepted, rejected, or error
	 * @param reasons why a token was rejected
	 * @param cacheStatus where the introspection result came from
	 * @param tokenFingerprint a short, non-reversible prefix of the token's SHA-256
	 * @param token the introspection result
	 */
	public IntrospectionDecision(Outcome outcome, List<String> reasons, CacheStatus cacheStatus,
			String tokenFingerprint, IntrospectedToken token) {
		this(outcome, reasons, cacheStatus, tokenFingerprint, token, Path.INTROSPECTION);
	}

	/**
	 * Returns this decision as made by the given authorization server.
	 * @param server the server's name
	 * @return the decision
	 */
	public IntrospectionDecision withServer(String server) {
		return server.equals(this.server) ? this : new IntrospectionDecision(this.outcome, this.reasons,
				this.cacheStatus, this.tokenFingerprint, this.token, this.path, server);
	}

	/**
	 * How a token was judged.
	 */
	public enum Path {

		/** Verified here as a JWT with the authorization server's published keys. */
		LOCAL,

		/**
		 * Introspected (or refused before any lookup): the authorization server's answer.
		 */
		INTROSPECTION;

		/**
		 * Returns the lower-case name used in metric tags and audit lines.
		 * @return the tag value
		 */
		public String tagValue() {
			return name().toLowerCase(java.util.Locale.ROOT);
		}

	}

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
