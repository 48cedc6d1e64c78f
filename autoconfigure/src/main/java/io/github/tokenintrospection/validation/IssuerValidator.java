package io.github.tokenintrospection.validation;

import java.util.List;

import io.github.tokenintrospection.IntrospectedToken;

import org.springframework.security.oauth2.core.OAuth2TokenIntrospectionClaimNames;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.util.Assert;

/**
 * Accepts a token only when its {@code iss} is one of the allowed issuers; a token
 * without {@code iss} is rejected.
 */
public final class IssuerValidator implements IntrospectionClaimsValidator {

	private final List<String> allowedIssuers;

	/**
	 * Creates a validator.
	 * @param allowedIssuers the issuers to accept, compared exactly
	 */
	public IssuerValidator(List<String> allowedIssuers) {
		Assert.notEmpty(allowedIssuers, "allowedIssuers must not be empty");
		this.allowedIssuers = List.copyOf(allowedIssuers);
	}

	@Override
	public OAuth2TokenValidatorResult validate(IntrospectedToken token) {
		String issuer = token.stringClaim(OAuth2TokenIntrospectionClaimNames.ISS);
		if (issuer == null) {
			return ClaimErrors.failure("issuer", "Token has no issuer (iss)");
		}
		if (!this.allowedIssuers.contains(issuer)) {
			return ClaimErrors.failure("issuer", "Token issuer " + issuer + " is not allowed");
		}
		return OAuth2TokenValidatorResult.success();
	}

}
