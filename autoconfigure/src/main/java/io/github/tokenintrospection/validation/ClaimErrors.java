package io.github.tokenintrospection.validation;

import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;

/**
 * Builds the results of the built-in validators.
 */
final class ClaimErrors {

	private ClaimErrors() {
	}

	static ClaimValidationError invalidToken(String reason, String description) {
		return new ClaimValidationError(reason, description);
	}

	static OAuth2TokenValidatorResult failure(String reason, String description) {
		return OAuth2TokenValidatorResult.failure(invalidToken(reason, description));
	}

}
