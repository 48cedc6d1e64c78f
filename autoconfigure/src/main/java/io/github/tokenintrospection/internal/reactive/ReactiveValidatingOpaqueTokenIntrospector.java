package io.github.tokenintrospection.internal.reactive;

import java.util.Optional;

import io.github.tokenintrospection.internal.introspector.IntrospectionDecider;
import io.github.tokenintrospection.internal.possession.PresentedCredentials;
import io.github.tokenintrospection.internal.observation.RequestAudit;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.security.oauth2.core.OAuth2AuthenticatedPrincipal;
import org.springframework.security.oauth2.server.resource.introspection.BadOpaqueTokenException;
import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionException;
import org.springframework.security.oauth2.server.resource.introspection.ReactiveOpaqueTokenIntrospector;
import org.springframework.util.Assert;

/**
 * The starter's {@link ReactiveOpaqueTokenIntrospector}: the same as
 * {@link io.github.tokenintrospection.internal.introspector.ValidatingOpaqueTokenIntrospector},
 * without blocking. The token is looked up (its syntax checked first, then usually in the
 * cache; see {@link ReactiveTokenLookup#guarded}), and the {@link IntrospectionDecider}
 * validates the claims, builds the principal and reports the decision.
 * <p>
 * An inactive or invalid token fails with {@link BadOpaqueTokenException} (HTTP 401); a
 * failure to reach the authorization server with {@link OAuth2IntrospectionException}
 * (HTTP 503 with the starter's WebFlux filter).
 */
public final class ReactiveValidatingOpaqueTokenIntrospector implements ReactiveOpaqueTokenIntrospector {

	private final ReactiveTokenLookup lookup;

	private final IntrospectionDecider decider;

	/**
	 * Creates an introspector.
	 * @param lookup finds the introspection result, usually through the cache; it signals
	 * failures through its {@code Mono} and does its work on subscription, as
	 * {@link ReactiveTokenLookup#guarded} does
	 * @param decider validates, builds the principal and reports the decision
	 */
	public ReactiveValidatingOpaqueTokenIntrospector(ReactiveTokenLookup lookup, IntrospectionDecider decider) {
		Assert.notNull(lookup, "lookup must not be null");
		Assert.notNull(decider, "decider must not be null");
		this.lookup = lookup;
		this.decider = decider;
	}

	@Override
	public Mono<OAuth2AuthenticatedPrincipal> introspect(String token) {
		// The decision is recorded for the request its audit filter put in the context.
		return Mono.deferContextual((context) -> {
			RequestAudit audit = context.getOrDefault(RequestAudit.class, null);
			PresentedCredentials presented = context.getOrDefault(PresentedCredentials.class, null);
			if (presented == null || presented.scheme() != PresentedCredentials.Scheme.DPOP) {
				return lookupAndDecide(token, audit, presented, null);
			}
			Mono<Optional<String>> proof = Mono.fromCallable(() -> Optional
				.ofNullable(RequestAudit.within(audit, () -> this.decider.checkProof(presented, token))));
			if (this.decider.proofCheckBlocks()) {
				// The fleet-wide replay record is in Redis: not on an event loop.
				proof = proof.subscribeOn(Schedulers.boundedElastic()).publishOn(Schedulers.parallel());
			}
			return proof.flatMap((thumbprint) -> lookupAndDecide(token, audit, presented, thumbprint.orElse(null)));
		});
	}

	private Mono<OAuth2AuthenticatedPrincipal> lookupAndDecide(String token, @Nullable RequestAudit audit,
			@Nullable PresentedCredentials presented, @Nullable String proofThumbprint) {
		return this.lookup.lookup(token)
			.onErrorMap(OAuth2IntrospectionException.class,
					(failure) -> RequestAudit.within(audit, () -> this.decider.lookupFailed(failure, token)))
			.map((found) -> RequestAudit.within(audit, () -> this.decider.decide(found, presented, proofThumbprint)));
	}

}
