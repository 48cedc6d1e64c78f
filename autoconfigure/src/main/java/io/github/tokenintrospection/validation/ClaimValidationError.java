package io.github.tokenintrospection.validation;

import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;

/**
 * An {@code invalid_token} error that also names, in a word, why the token was refused
 * ({@code expired}, {@code audience}...), for metrics and the audit trail. Validators of
 * your own may return it too; other errors count as reason {@code custom}.
 */
public class ClaimValidationError extends OAuth2Error {

	private static final long serialVersionUID = 1L;

	private static final String RFC6750_ERROR_URI = "https://tools.ietf.org/html/rfc6750#section-3.1";

	private final String reason;

	/**
	 * Creates the error.
	 * @param reason a short, fixed, lower-case word (a metric tag value)
	 * @param description the human-readable description sent in {@code WWW-Authenticate}
	 */
	public ClaimValidationError(String reason, String description) {
		super(OAuth2ErrorCodes.INVALID_TOKEN, description, RFC6750_ERROR_URI);
		this.reason = reason;
	}

	/**
	 * Returns why the token was refused.
	 * @return the reason
	 */
	public String getReason() {
		return this.reason;
	}

}
