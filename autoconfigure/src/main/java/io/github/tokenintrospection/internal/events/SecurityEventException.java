package io.github.tokenintrospection.internal.events;

/**
 * Why a delivered SET was refused, in the terms of RFC 8935 section 2.4 (the {@code err}
 * codes) with the HTTP status to answer.
 */
public final class SecurityEventException extends RuntimeException {

	/** The request or the SET is malformed, or a claim is missing or out of range. */
	public static final String INVALID_REQUEST = "invalid_request";

	/** The SET is not signed with a key of the transmitter's. */
	public static final String INVALID_KEY = "invalid_key";

	/** The SET's issuer is not the transmitter's. */
	public static final String INVALID_ISSUER = "invalid_issuer";

	/** The SET's audience is not this receiver. */
	public static final String INVALID_AUDIENCE = "invalid_audience";

	/** The delivery does not carry the transmitter's authorization. */
	public static final String AUTHENTICATION_FAILED = "authentication_failed";

	/** The transmitter's keys cannot be had now: the transmitter is to retry. */
	public static final String TEMPORARILY_UNAVAILABLE = "temporarily_unavailable";

	private final String error;

	private final int status;

	SecurityEventException(String error, String description) {
		this(error, description, 400);
	}

	SecurityEventException(String error, String description, int status) {
		super(description, null, false, false);
		this.error = error;
		this.status = status;
	}

	/**
	 * Returns the RFC 8935 error code.
	 * @return the code
	 */
	public String error() {
		return this.error;
	}

	/**
	 * Returns the HTTP status to answer with.
	 * @return 400, 401, 413 or 503
	 */
	public int status() {
		return this.status;
	}

}
