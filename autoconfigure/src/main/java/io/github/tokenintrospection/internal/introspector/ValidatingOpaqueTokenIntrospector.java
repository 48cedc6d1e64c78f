package io.github.tokenintrospection.internal.introspector;

import java.util.Collection;
import java.util.function.Supplier;

import io.github.tokenintrospection.IntrospectedToken;
import io.github.tokenintrospection.internal.possession.PresentedCredentials;
import io.github.tokenintrospection.internal.cache.TokenLookup.Lookup;
import io.github.tokenintrospection.internal.cache.TokenLookup;
import io.github.tokenintrospection.observation.IntrospectionListener;
import io.github.tokenintrospection.validation.IntrospectionClaimsValidator;
import org.jspecify.annotations.Nullable;

import org.springframework.core.convert.converter.Converter;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.core.OAuth2AuthenticatedPrincipal;
import org.springframework.security.oauth2.server.resource.introspection.BadOpaqueTokenException;
import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionException;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;
import org.springframework.util.Assert;

/**
 * The starter's {@link OpaqueTokenIntrospector}: looks the token up (usually in the
 * cache), validates the claims on every request, builds the principal with its
 * authorities, and tells the listeners (metrics, audit trail) what it decided and why.
 * All but the lookup is the {@link IntrospectionDecider}'s, shared with the reactive
 * introspector.
 * <p>
 * An inactive or invalid token raises {@link BadOpaqueTokenException} (HTTP 401); a
 * failure to reach the authorization server propagates as
 * {@link OAuth2IntrospectionException} (HTTP 503 with the starter's filter).
 */
public final class ValidatingOpaqueTokenIntrospector implements OpaqueTokenIntrospector {

	private final TokenLookup lookup;

	private final IntrospectionDecider decider;

	private final Supplier<@Nullable PresentedCredentials> presented;

	/**
	 * Creates an introspector.
	 * @param lookup finds the introspection result, usually through the cache
	 * @param validator the validator of an active token's claims
	 * @param authoritiesConverter maps claims to authorities
	 * @param principalClaimName the claim that names the principal; {@code sub} is used
	 * when the token lacks it
	 * @param listener told about every decision
	 */
	public ValidatingOpaqueTokenIntrospector(TokenLookup lookup, IntrospectionClaimsValidator validator,
			Converter<IntrospectedToken, Collection<GrantedAuthority>> authoritiesConverter, String principalClaimName,
			IntrospectionListener listener) {
		this(lookup, new IntrospectionDecider(validator, authoritiesConverter, principalClaimName, listener));
	}

	/**
	 * Creates an introspector.
	 * @param lookup finds the introspection result, usually through the cache
	 * @param decider validates, builds the principal and reports the decision
	 */
	public ValidatingOpaqueTokenIntrospector(TokenLookup lookup, IntrospectionDecider decider) {
		this(lookup, decider, () -> null);
	}

	/**
	 * Creates an introspector that holds tokens to what the caller presented.
	 * @param lookup finds the introspection result, usually through the cache
	 * @param decider validates, checks the sender constraint, builds the principal and
	 * reports the decision
	 * @param presented what the current request's caller presented, {@code null} outside
	 * a request
	 */
	public ValidatingOpaqueTokenIntrospector(TokenLookup lookup, IntrospectionDecider decider,
			Supplier<@Nullable PresentedCredentials> presented) {
		Assert.notNull(lookup, "lookup must not be null");
		Assert.notNull(decider, "decider must not be null");
		this.lookup = lookup;
		this.decider = decider;
		this.presented = presented;
	}

	@Override
	public OAuth2AuthenticatedPrincipal introspect(String token) {
		PresentedCredentials presented = this.presented.get();
		String proofThumbprint = this.decider.checkProof(presented, token);
		Lookup found;
		try {
			found = this.lookup.lookup(token);
		}
		catch (OAuth2IntrospectionException ex) {
			throw this.decider.lookupFailed(ex, token);
		}
		return this.decider.decide(found, presented, proofThumbprint);
	}

}
