package io.github.tokenintrospection.pipeline;

/**
 * The stages of the introspection pipeline, in the order a token passes them: the one
 * place that order is written down. {@link PipelineAssembler} applies it to both stacks,
 * from the last lookup stage (the transport) outwards, then adds the decision.
 * <p>
 * Why this order: a DPoP proof is checked first, as it is cheap and a junk one must cost
 * nothing more; the syntax guard comes next, so a malformed token is not even hashed;
 * local JWT verification comes next, above everything that introspects, so that a token
 * it verifies is never cached, served stale or sent to the server, and one it cannot
 * verify goes on as if it were not there; stale-if-error sits above the cache, so a stale
 * result is never cached as a fresh one; the last validated answers are recorded beneath
 * the cache, where the server is actually asked; the retry sits outside the circuit
 * breaker, so every attempt counts and an opened breaker ends the retries; listeners
 * observe each HTTP call, retries included, but not the breaker's fast failures. The
 * claims are validated after the lookup, on every request, cached or not.
 */
enum Stage {

	/**
	 * (With sender constraints) a request with the {@code DPoP} scheme must carry one
	 * valid proof for this request and token: a junk proof costs no lookup.
	 */
	DPOP_PROOF,

	/** Too long or not an RFC 6750 {@code b64token}: rejected before anything else. */
	SYNTAX_GUARD,

	/**
	 * (Opt-in) the issuer's JWTs verified with its published keys; other tokens go on.
	 */
	LOCAL_JWT,

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

	/**
	 * (With sender constraints) the answer's {@code cnf} against the proof or client
	 * certificate the caller presented, on every request.
	 */
	SENDER_CONSTRAINT,

	/** Claims to authorities, and the principal. */
	AUTHORITIES;

	/** Whether the stage runs after the lookup, on its result. */
	boolean decides() {
		return this == CLAIM_VALIDATION || this == SENDER_CONSTRAINT || this == AUTHORITIES;
	}

}
