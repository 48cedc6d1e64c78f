package io.github.tokenintrospection.validation;

import java.util.Collection;
import java.util.List;

import io.github.tokenintrospection.IntrospectedToken;

import org.springframework.security.oauth2.core.OAuth2TokenIntrospectionClaimNames;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.util.Assert;

/**
 * Accepts a token only when its {@code aud} names at least one of the required audiences
 * (RFC 9700 section 2.3 audience restriction); a token without {@code aud} is rejected.
 */
public final class AudienceValidator implements IntrospectionClaimsValidator {

	private final List<String> requiredAudiences;

	/**
	 * Creates a validator.
	 * @param requiredAudiences the audiences of which the token must name at least one
	 */
	public AudienceValidator(List<String> requiredAudiences) {
		Assert.notEmpty(requiredAudiences, "requiredAudiences must not be empty");
		this.requiredAudiences = List.copyOf(requiredAudiences);
	}

	@Override
	public OAuth2TokenValidatorResult validate(IntrospectedToken token) {
		Object claim = token.getClaims().get(OAuth2TokenIntrospectionClaimNames.AUD);
		// An array, as most servers send it, is read as it is: no copy per request.
		Collection<?> audiences = (claim instanceof Collection<?> array) ? array
				: token.stringListClaim(OAuth2TokenIntrospectionClaimNames.AUD);
		for (Object audience : audiences) {
			if (audience instanceof String name && this.requiredAudiences.contains(name)) {
				return OAuth2TokenValidatorResult.success();
			}
		}
		return ClaimErrors.failure("audience", "Token audience does not include any of " + this.requiredAudiences);
	}

}
