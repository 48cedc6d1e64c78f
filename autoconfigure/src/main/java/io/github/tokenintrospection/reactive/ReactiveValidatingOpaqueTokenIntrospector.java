package io.github.tokenintrospection.reactive;

import io.github.tokenintrospection.IntrospectionDecider;
import io.github.tokenintrospection.TokenSyntaxGuard;
import reactor.core.publisher.Mono;

import org.springframework.security.oauth2.core.OAuth2AuthenticatedPrincipal;
import org.springframework.security.oauth2.server.resource.introspection.BadOpaqueTokenException;
import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionException;
import org.springframework.security.oauth2.server.resource.introspection.ReactiveOpaqueTokenIntrospector;
import org.springframework.util.Assert;

/**
 * The starter's {@link ReactiveOpaqueTokenIntrospector}: the same as
 * {@link io.github.tokenintrospection.ValidatingOpaqueTokenIntrospector}, without blocking.
 * The token's syntax and length are checked first ({@link TokenSyntaxGuard}), then it is
 * looked up (usually in the cache), and the {@link IntrospectionDecider} validates the
 * claims, builds the principal and reports the decision.
 * <p>
 * An inactive or invalid token fails with {@link BadOpaqueTokenException} (HTTP 401); a
 * failure to reach the authorization server with {@link OAuth2IntrospectionException}
 * (HTTP 503 with the starter's WebFlux filter).
 */
public final class ReactiveValidatingOpaqueTokenIntrospector implements ReactiveOpaqueTokenIntrospector {

	private final ReactiveTokenLookup lookup;

	private final IntrospectionDecider decider;

	private final int maxTokenLength;

	/**
	 * Creates an introspector.
	 * @param lookup finds the introspection result, usually through the cache
	 * @param decider validates, builds the principal and reports the decision
	 * @param maxTokenLength the longest token accepted, in characters
	 */
	public ReactiveValidatingOpaqueTokenIntrospector(ReactiveTokenLookup lookup, IntrospectionDecider decider,
			int maxTokenLength) {
		Assert.notNull(lookup, "lookup must not be null");
		Assert.notNull(decider, "decider must not be null");
		Assert.isTrue(maxTokenLength > 0, "maxTokenLength must be positive");
		this.lookup = lookup;
		this.decider = decider;
		this.maxTokenLength = maxTokenLength;
	}

	@Override
	public Mono<OAuth2AuthenticatedPrincipal> introspect(String token) {
		return Mono.defer(() -> {
			TokenSyntaxGuard.check(token, this.maxTokenLength);
			return this.lookup.lookup(token);
		})
			.onErrorMap(OAuth2IntrospectionException.class, (failure) -> this.decider.lookupFailed(failure, token))
			.map(this.decider::decide);
	}

}
