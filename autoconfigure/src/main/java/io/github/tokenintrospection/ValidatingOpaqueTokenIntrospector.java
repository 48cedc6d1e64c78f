package io.github.tokenintrospection;

import java.util.Collection;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.github.tokenintrospection.authority.IntrospectionAuthoritiesConverter;
import io.github.tokenintrospection.client.IntrospectionClient;
import io.github.tokenintrospection.validation.IntrospectionClaimsValidator;

import org.springframework.core.convert.converter.Converter;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.core.OAuth2AuthenticatedPrincipal;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.server.resource.introspection.BadOpaqueTokenException;
import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionAuthenticatedPrincipal;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;
import org.springframework.util.Assert;

/**
 * The starter's {@link OpaqueTokenIntrospector}: introspects through a (usually caching)
 * {@link IntrospectionClient}, validates the claims on every request, and builds the
 * principal with its authorities.
 * <p>
 * An inactive or invalid token raises {@link BadOpaqueTokenException} (HTTP 401); a failure
 * to reach the authorization server propagates as
 * {@link org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionException}
 * (HTTP 503 with the starter's filter).
 */
public final class ValidatingOpaqueTokenIntrospector implements OpaqueTokenIntrospector {

	private final IntrospectionClient client;

	private final IntrospectionClaimsValidator validator;

	private final Converter<IntrospectedToken, Collection<GrantedAuthority>> authoritiesConverter;

	private final String principalClaimName;

	/**
	 * The built-in converter as a function whose results may be kept with a (cached) token,
	 * as it depends on the claims alone; {@code null} for any other converter, which is
	 * called on every request.
	 */
	private final Function<IntrospectedToken, Collection<GrantedAuthority>> pureAuthoritiesConverter;

	/**
	 * Creates an introspector.
	 * @param client the client to introspect with
	 * @param validator the validator of an active token's claims
	 * @param authoritiesConverter maps claims to authorities
	 * @param principalClaimName the claim that names the principal; {@code sub} is used when
	 * the token lacks it
	 */
	public ValidatingOpaqueTokenIntrospector(IntrospectionClient client, IntrospectionClaimsValidator validator,
			Converter<IntrospectedToken, Collection<GrantedAuthority>> authoritiesConverter,
			String principalClaimName) {
		Assert.notNull(client, "client must not be null");
		Assert.notNull(validator, "validator must not be null");
		Assert.notNull(authoritiesConverter, "authoritiesConverter must not be null");
		Assert.hasText(principalClaimName, "principalClaimName must not be empty");
		this.client = client;
		this.validator = validator;
		this.authoritiesConverter = authoritiesConverter;
		this.principalClaimName = principalClaimName;
		this.pureAuthoritiesConverter = (authoritiesConverter instanceof IntrospectionAuthoritiesConverter builtIn)
				? builtIn::convert : null;
	}

	@Override
	public OAuth2AuthenticatedPrincipal introspect(String token) {
		IntrospectedToken introspected = this.client.introspect(token);
		if (!introspected.isActive()) {
			throw new BadOpaqueTokenException("Token is not active");
		}
		OAuth2TokenValidatorResult result = this.validator.validate(introspected);
		if (result.hasErrors()) {
			throw new BadOpaqueTokenException(describe(result));
		}
		Collection<GrantedAuthority> authorities = (this.pureAuthoritiesConverter != null)
				? introspected.authorities(this.pureAuthoritiesConverter) : this.authoritiesConverter.convert(introspected);
		return new OAuth2IntrospectionAuthenticatedPrincipal(principalName(introspected), introspected.getClaims(),
				authorities);
	}

	private String principalName(IntrospectedToken token) {
		String name = token.stringClaim(this.principalClaimName);
		return (name != null) ? name : token.stringClaim("sub");
	}

	private static String describe(OAuth2TokenValidatorResult result) {
		return result.getErrors().stream().map(OAuth2Error::getDescription).collect(Collectors.joining("; "));
	}

}
