package io.github.tokenintrospection.validation;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.github.tokenintrospection.IntrospectedToken;

import org.springframework.security.oauth2.core.OAuth2TokenIntrospectionClaimNames;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.util.Assert;

/**
 * Accepts a token only when its {@code token_type} and, where present, Keycloak's
 * {@code typ} name an access token type from the allowed list (compared ignoring case).
 * <p>
 * Some servers answer {@code active: true} for refresh, offline or ID tokens, with
 * {@code token_type} "Refresh", "Offline" or "ID"; those must not work as bearer tokens.
 * Absent claims are accepted: RFC 7662 makes {@code token_type} optional.
 */
public final class TokenTypeValidator implements IntrospectionClaimsValidator {

	/** Keycloak's own token type claim. */
	static final String KEYCLOAK_TYPE_CLAIM = "typ";

	private static final String[] TYPE_CLAIMS = { OAuth2TokenIntrospectionClaimNames.TOKEN_TYPE, KEYCLOAK_TYPE_CLAIM };

	/** The types as configured: an exact match needs no case conversion. */
	private final List<String> configuredTypes;

	private final List<String> allowedTypes;

	/**
	 * Creates a validator.
	 * @param allowedTypes the token types that are access tokens
	 */
	public TokenTypeValidator(List<String> allowedTypes) {
		Assert.notEmpty(allowedTypes, "allowedTypes must not be empty");
		List<String> lowerCase = new ArrayList<>(allowedTypes.size());
		for (String type : allowedTypes) {
			lowerCase.add(type.toLowerCase(Locale.ROOT));
		}
		this.allowedTypes = List.copyOf(lowerCase);
		this.configuredTypes = List.copyOf(allowedTypes);
	}

	@Override
	public OAuth2TokenValidatorResult validate(IntrospectedToken token) {
		List<String> rejected = null;
		for (String claim : TYPE_CLAIMS) {
			Object type = token.getClaims().get(claim);
			if (type != null && !(type instanceof String value && isAllowed(value))) {
				if (rejected == null) {
					rejected = new ArrayList<>(TYPE_CLAIMS.length);
				}
				rejected.add(claim + "=" + type);
			}
		}
		return (rejected == null) ? OAuth2TokenValidatorResult.success() : ClaimErrors.failure("token_type",
				"Token is not an access token (" + String.join(", ", rejected) + ")");
	}

	private boolean isAllowed(String type) {
		return this.configuredTypes.contains(type) || this.allowedTypes.contains(type.toLowerCase(Locale.ROOT));
	}

}
