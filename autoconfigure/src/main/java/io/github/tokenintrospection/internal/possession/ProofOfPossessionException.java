package io.github.tokenintrospection.internal.possession;

import org.springframework.security.oauth2.server.resource.introspection.BadOpaqueTokenException;

/**
 * A sender-constraint failure: a DPoP proof that is not valid, or a token bound to a key
 * or certificate the caller did not prove it holds. A 401 whose challenge uses the
 * {@code DPoP} scheme (RFC 9449); the message names no part of the token or proof.
 */
public final class ProofOfPossessionException extends BadOpaqueTokenException {

	private static final long serialVersionUID = 1L;

	/** The error code of a proof that is not valid (RFC 9449 section 7.1). */
	public static final String INVALID_DPOP_PROOF = "invalid_dpop_proof";

	/** The error code of a proof without a valid server nonce (RFC 9449 section 9). */
	public static final String USE_DPOP_NONCE = "use_dpop_nonce";

	/** The error code of a token the caller may not use as it did (RFC 6750). */
	public static final String INVALID_TOKEN = "invalid_token";

	private final String error;

	private final String reason;

	/**
	 * Creates the exception.
	 * @param error {@link #INVALID_DPOP_PROOF}, {@link #USE_DPOP_NONCE} or
	 * {@link #INVALID_TOKEN}
	 * @param reason the decision reason for meters and the audit trail
	 * @param description what is wrong, for the challenge's {@code error_description}
	 */
	public ProofOfPossessionException(String error, String reason, String description) {
		super(description);
		this.error = error;
		this.reason = reason;
	}

	static ProofOfPossessionException invalidProof(String description) {
		return new ProofOfPossessionException(INVALID_DPOP_PROOF, "dpop_proof", description);
	}

	/**
	 * Returns the error code of the challenge.
	 * @return {@code invalid_dpop_proof} or {@code invalid_token}
	 */
	public String getError() {
		return this.error;
	}

	/**
	 * Returns the decision reason for meters and the audit trail: {@code dpop_proof},
	 * {@code dpop_binding}, {@code certificate_binding} or
	 * {@code not_sender_constrained}.
	 * @return the reason
	 */
	public String getReason() {
		return this.reason;
	}

}
