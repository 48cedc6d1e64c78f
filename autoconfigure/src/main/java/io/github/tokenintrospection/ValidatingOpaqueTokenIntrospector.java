package io.github.tokenintrospection;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.github.tokenintrospection.authority.IntrospectionAuthoritiesConverter;
import io.github.tokenintrospection.cache.IntrospectionCacheControl;
import io.github.tokenintrospection.cache.TokenLookup;
import io.github.tokenintrospection.cache.TokenLookup.Lookup;
import io.github.tokenintrospection.observation.CacheStatus;
import io.github.tokenintrospection.observation.IntrospectionDecision;
import io.github.tokenintrospection.observation.IntrospectionDecision.Outcome;
import io.github.tokenintrospection.observation.IntrospectionListener;
import io.github.tokenintrospection.validation.ClaimValidationError;
import io.github.tokenintrospection.validation.IntrospectionClaimsValidator;

import org.springframework.core.convert.converter.Converter;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.core.OAuth2AuthenticatedPrincipal;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.server.resource.introspection.BadOpaqueTokenException;
import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionAuthenticatedPrincipal;
import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionException;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;
import org.springframework.util.Assert;

/**
 * The starter's {@link OpaqueTokenIntrospector}: looks the token up (usually in the cache),
 * validates the claims on every request, builds the principal with its authorities, and
 * tells the listeners (metrics, audit trail) what it decided and why.
 * <p>
 * An inactive or invalid token raises {@link BadOpaqueTokenException} (HTTP 401); a failure
 * to reach the authorization server propagates as {@link OAuth2IntrospectionException}
 * (HTTP 503 with the starter's filter).
 */
public final class ValidatingOpaqueTokenIntrospector implements OpaqueTokenIntrospector {

	private static final String CUSTOM_REASON = "custom";

	private final TokenLookup lookup;

	private final IntrospectionClaimsValidator validator;

	private final Converter<IntrospectedToken, Collection<GrantedAuthority>> authoritiesConverter;

	private final String principalClaimName;

	private final IntrospectionListener listener;

	/**
	 * The built-in converter as a function whose results may be kept with a (cached) token,
	 * as it depends on the claims alone; {@code null} for any other converter, which is
	 * called on every request.
	 */
	private final Function<IntrospectedToken, Collection<GrantedAuthority>> pureAuthoritiesConverter;

	/**
	 * Creates an introspector.
	 * @param lookup finds the introspection result, usually through the cache
	 * @param validator the validator of an active token's claims
	 * @param authoritiesConverter maps claims to authorities
	 * @param principalClaimName the claim that names the principal; {@code sub} is used when
	 * the token lacks it
	 * @param listener told about every decision
	 */
	public ValidatingOpaqueTokenIntrospector(TokenLookup lookup, IntrospectionClaimsValidator validator,
			Converter<IntrospectedToken, Collection<GrantedAuthority>> authoritiesConverter, String principalClaimName,
			IntrospectionListener listener) {
		Assert.notNull(lookup, "lookup must not be null");
		Assert.notNull(validator, "validator must not be null");
		Assert.notNull(authoritiesConverter, "authoritiesConverter must not be null");
		Assert.hasText(principalClaimName, "principalClaimName must not be empty");
		Assert.notNull(listener, "listener must not be null");
		this.lookup = lookup;
		this.validator = validator;
		this.authoritiesConverter = authoritiesConverter;
		this.principalClaimName = principalClaimName;
		this.listener = listener;
		this.pureAuthoritiesConverter = (authoritiesConverter instanceof IntrospectionAuthoritiesConverter builtIn)
				? builtIn::convert : null;
	}

	@Override
	public OAuth2AuthenticatedPrincipal introspect(String token) {
		Lookup found;
		try {
			found = this.lookup.lookup(token);
		}
		catch (BadOpaqueTokenException ex) {
			// Refused before any lookup (too long, not token syntax): not worth hashing.
			decide(Outcome.REJECTED, List.of("malformed"), "none");
			throw ex;
		}
		catch (OAuth2IntrospectionException ex) {
			decide(Outcome.ERROR, List.of("unavailable"), IntrospectionCacheControl.fingerprint(token));
			throw ex;
		}
		IntrospectedToken introspected = found.token();
		if (!introspected.isActive()) {
			reject(found, List.of("inactive"));
			throw new BadOpaqueTokenException("Token is not active");
		}
		OAuth2TokenValidatorResult result = this.validator.validate(introspected);
		if (result.hasErrors()) {
			reject(found, reasons(result));
			throw new BadOpaqueTokenException(describe(result));
		}
		Collection<GrantedAuthority> authorities = (this.pureAuthoritiesConverter != null)
				? introspected.authorities(this.pureAuthoritiesConverter) : this.authoritiesConverter.convert(introspected);
		this.listener.decisionMade(
				new IntrospectionDecision(Outcome.ACCEPTED, List.of(), found.cacheStatus(), found.fingerprint(), introspected));
		return new OAuth2IntrospectionAuthenticatedPrincipal(principalName(introspected), introspected.getClaims(),
				authorities);
	}

	private void decide(Outcome outcome, List<String> reasons, String fingerprint) {
		this.listener.decisionMade(
				new IntrospectionDecision(outcome, reasons, CacheStatus.NONE, fingerprint, IntrospectedToken.inactive()));
	}

	private void reject(Lookup found, List<String> reasons) {
		this.listener.decisionMade(
				new IntrospectionDecision(Outcome.REJECTED, reasons, found.cacheStatus(), found.fingerprint(), found.token()));
	}

	private static List<String> reasons(OAuth2TokenValidatorResult result) {
		List<String> reasons = new ArrayList<>(result.getErrors().size());
		for (OAuth2Error error : result.getErrors()) {
			String reason = (error instanceof ClaimValidationError claimError) ? claimError.getReason() : CUSTOM_REASON;
			if (!reasons.contains(reason)) {
				reasons.add(reason);
			}
		}
		return reasons;
	}

	private String principalName(IntrospectedToken token) {
		String name = token.stringClaim(this.principalClaimName);
		return (name != null) ? name : token.stringClaim("sub");
	}

	private static String describe(OAuth2TokenValidatorResult result) {
		return result.getErrors().stream().map(OAuth2Error::getDescription).collect(Collectors.joining("; "));
	}

}
