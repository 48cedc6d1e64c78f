package io.github.tokenintrospection.pipeline;

/**
 * The stages of the introspection pipeline, in the order a token passes them: the one
 * place that order is written down. {@link PipelineAssembler} applies it to both stacks,
 * from the last lookup stage (the transport) outwards, then adds the decision.
 * <p>
 * Why this order: the syntax guard comes first, so a malformed token is not even hashed;
 * stale-if-error sits above the cache, so a stale result is never cached as a fresh one;
 * the last validated answers are recorded beneath the cache, where the server is actually
 * asked; the retry sits outside the circuit breaker, so every attempt counts and an
 * opened breaker ends the retries; listeners observe each HTTP call, retries included,
 * but not the breaker's fast failures. The claims are validated after the lookup, on
 * every request, cached or not.
 */
enum Stage {

	/** Too long or not an RFC 6750 {@code b64token}: rejected before anything else. */
	SYNTAX_GUARD,

	/** (Opt-in) an outage falls back on the last answer within the window. */
	STALE_IF_ERROR,

	/** Key = SHA-256(token), one call per key, never past {@code exp}. */
	CACHE,

	/** (With stale-if-error) remembers the server's active answers. */
	RECORD_LAST_VALIDATED,

	/** Repeats calls that a retry can fix. */
	RETRY,

	/** Stops calling a failing server for a cool-down. */
	CIRCUIT_BREAKER,

	/** Tells the listeners about each call to the server. */
	OBSERVED,

	/** Calls the authorization server: the only part each stack brings itself. */
	TRANSPORT,

	/** The claim validators, on every request. */
	CLAIM_VALIDATION,

	/** Claims to authorities, and the principal. */
	AUTHORITIES;

	/** Whether the stage runs after the lookup, on its result. */
	boolean decides() {
		return this == CLAIM_VALIDATION || this == AUTHORITIES;
	}

}
