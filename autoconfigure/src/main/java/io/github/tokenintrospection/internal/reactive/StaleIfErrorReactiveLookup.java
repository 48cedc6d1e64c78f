package io.github.tokenintrospection.internal.reactive;

import java.util.Optional;

import io.github.tokenintrospection.cache.StaleResultListener;
import io.github.tokenintrospection.internal.cache.StaleFallback;
import io.github.tokenintrospection.internal.web.StaleResponseMarks;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionException;
import org.springframework.util.Assert;
import org.springframework.web.filter.reactive.ServerWebExchangeContextFilter;
import org.springframework.web.server.ServerWebExchange;

/**
 * Stale-if-error for the reactive pipeline, with the blocking pipeline's rule
 * ({@link StaleFallback}): when the lookup fails because the authorization server cannot
 * answer, the last result it gave is used if recent enough. The response gets the
 * {@value StaleResponseMarks#HEADER} header and the exchange the
 * {@link StaleResponseMarks#ATTRIBUTE} attribute, when the exchange is in the Reactor
 * context (the starter's WebFlux filter puts it there).
 */
public final class StaleIfErrorReactiveLookup implements ReactiveTokenLookup {

	private final ReactiveTokenLookup delegate;

	private final StaleFallback fallback;

	/**
	 * Creates the lookup.
	 * @param delegate the (caching) lookup to ask first
	 * @param fallback the rule, and the store of recent answers, to fall back on
	 */
	public StaleIfErrorReactiveLookup(ReactiveTokenLookup delegate, StaleFallback fallback) {
		Assert.notNull(delegate, "delegate must not be null");
		Assert.notNull(fallback, "fallback must not be null");
		this.delegate = delegate;
		this.fallback = fallback;
	}

	@Override
	public Mono<io.github.tokenintrospection.internal.cache.TokenLookup.Lookup> lookup(String token) {
		return this.delegate.lookup(token)
			.onErrorResume(OAuth2IntrospectionException.class,
					(failure) -> Mono.deferContextual((context) -> Mono.fromCallable(() -> this.fallback.apply(token,
							failure, responseMarker(ServerWebExchangeContextFilter.getExchange(context))))));
	}

	private static @Nullable StaleResultListener responseMarker(Optional<ServerWebExchange> exchange) {
		return exchange.<StaleResultListener>map((current) -> (result, age, failure) -> {
			current.getAttributes().put(StaleResponseMarks.ATTRIBUTE, age);
			if (!current.getResponse().isCommitted()) {
				current.getResponse()
					.getHeaders()
					.set(StaleResponseMarks.HEADER, Long.toString(Math.max(0, age.toSeconds())));
			}
		}).orElse(null);
	}

}
