package io.github.tokenintrospection.validation;

import io.github.tokenintrospection.IntrospectedToken;

import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;

/**
 * Checks the claims of an active token. Runs on every request, whether the introspection
 * result came from the cache or from the authorization server.
 * <p>
 * Declare a bean of this type to add a rule of your own; it runs next to the built-in
 * ones and all failures of one token are reported together.
 */
@FunctionalInterface
public interface IntrospectionClaimsValidator {

	/**
	 * Validates one token's claims.
	 * @param token an active token
	 * @return {@link OAuth2TokenValidatorResult#success()} or the errors found
	 */
	OAuth2TokenValidatorResult validate(IntrospectedToken token);

}
