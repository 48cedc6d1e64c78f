package io.github.tokenintrospection.validation;

import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;

/**
 * Builds the {@code invalid_token} errors of the built-in validators (RFC 6750 section 3.1).
 */
final class ClaimErrors {

	private static final String RFC6750_ERROR_URI = "https://tools.ietf.org/html/rfc6750#section-3.1";

	private ClaimErrors() {
	}

	static OAuth2Error invalidToken(String description) {
		return new OAuth2Error(OAuth2ErrorCodes.INVALID_TOKEN, description, RFC6750_ERROR_URI);
	}

	static OAuth2TokenValidatorResult failure(String description) {
		return OAuth2TokenValidatorResult.failure(invalidToken(description));
	}

}
