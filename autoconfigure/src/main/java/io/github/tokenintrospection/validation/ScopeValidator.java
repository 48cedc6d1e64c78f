package io.github.tokenintrospection.validation;

import java.util.ArrayList;
import java.util.List;

import io.github.tokenintrospection.IntrospectedToken;

import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.util.Assert;

/**
 * Accepts a token only when it grants every required scope, read from the configured
 * scope claims (space-delimited strings or arrays).
 */
public final class ScopeValidator implements IntrospectionClaimsValidator {

	private final List<String> requiredScopes;

	private final List<String> scopeClaimNames;

	/**
	 * Creates a validator.
	 * @param requiredScopes the scopes every token must grant
	 * @param scopeClaimNames the claims that carry scopes, such as {@code scope} and
	 * {@code scp}
	 */
	public ScopeValidator(List<String> requiredScopes, List<String> scopeClaimNames) {
		Assert.notEmpty(requiredScopes, "requiredScopes must not be empty");
		Assert.notEmpty(scopeClaimNames, "scopeClaimNames must not be empty");
		this.requiredScopes = List.copyOf(requiredScopes);
		this.scopeClaimNames = List.copyOf(scopeClaimNames);
	}

	@Override
	public OAuth2TokenValidatorResult validate(IntrospectedToken token) {
		List<String> granted = new ArrayList<>();
		for (String claimName : this.scopeClaimNames) {
			granted.addAll(token.stringListClaim(claimName));
		}
		List<String> missing = new ArrayList<>(0);
		for (String scope : this.requiredScopes) {
			if (!granted.contains(scope)) {
				missing.add(scope);
			}
		}
		return missing.isEmpty() ? OAuth2TokenValidatorResult.success()
				: ClaimErrors.failure("scope", "Token lacks the required scopes " + missing);
	}

}
