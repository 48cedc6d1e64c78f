package io.github.tokenintrospection.pipeline;

import java.time.Clock;
import java.util.List;
import java.util.function.UnaryOperator;

import io.github.tokenintrospection.cache.StaleResultListener;
import io.github.tokenintrospection.internal.cache.AsyncCachingLookup;
import io.github.tokenintrospection.internal.cache.LastValidatedTokens;
import io.github.tokenintrospection.internal.cache.RefreshAhead;
import io.github.tokenintrospection.internal.cache.StaleFallback;
import io.github.tokenintrospection.internal.cache.TokenCaches;
import io.github.tokenintrospection.internal.introspector.IntrospectionDecider;
import io.github.tokenintrospection.internal.jwt.LocalJwtRouter;
import io.github.tokenintrospection.internal.reactive.CircuitBreakerReactiveIntrospectionClient;
import io.github.tokenintrospection.internal.reactive.IntrospectionConnectors;
import io.github.tokenintrospection.internal.reactive.ObservedReactiveIntrospectionClient;
import io.github.tokenintrospection.internal.reactive.ReactiveLocalJwtLookup;
import io.github.tokenintrospection.internal.reactive.ReactiveTokenLookup;
import io.github.tokenintrospection.internal.reactive.ReactiveValidatingOpaqueTokenIntrospector;
import io.github.tokenintrospection.internal.reactive.RetryingReactiveIntrospectionClient;
import io.github.tokenintrospection.internal.reactive.StaleIfErrorReactiveLookup;
import io.github.tokenintrospection.internal.resilience.CircuitBreakerGuard;
import io.github.tokenintrospection.internal.resilience.RetryingIntrospectionClient;
import io.github.tokenintrospection.observation.IntrospectionListener;
import io.github.tokenintrospection.reactive.ReactiveIntrospectionClient;
import io.github.tokenintrospection.reactive.WebClientIntrospectionClient;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The reactive stack: calls return a {@link Mono} ({@link WebClient}), nothing waits on a
 * thread, and a stale result is marked on the exchange in the Reactor context.
 */
final class ReactiveStack implements
		PipelineStack<ReactiveIntrospectionClient, ReactiveTokenLookup, ReactiveValidatingOpaqueTokenIntrospector> {

	@Override
	public ReactiveIntrospectionClient transport(PipelineSettings settings) {
		ReactiveIntrospectionClient client = (settings.reactiveClient() != null) ? settings.reactiveClient()
				: http(settings.http("reactive"));
		for (UnaryOperator<ReactiveIntrospectionClient> decorator : settings.reactiveClientDecorators()) {
			client = decorator.apply(client);
		}
		return client;
	}

	private static ReactiveIntrospectionClient http(PipelineSettings.HttpTransport http) {
		// The application's own JDK client wins; otherwise the auto-configuration's
		// choice of
		// transport, Reactor Netty where present: no thread per call.
		ClientHttpConnector connector = http.httpClientGiven()
				? IntrospectionConnectors.jdk(http.httpClient(), http.readTimeout())
				: IntrospectionConnectors.create(PipelineSettings.HttpTransport.DEFAULT_CONNECT_TIMEOUT,
						http.readTimeout(), null, http::httpClient);
		// Request details (the Authorization header, form values) are never logged.
		WebClient webClient = WebClient.builder()
			.clientConnector(connector)
			.codecs((codecs) -> codecs.defaultCodecs().enableLoggingRequestDetails(false))
			.build();
		WebClientIntrospectionClient client = new WebClientIntrospectionClient(webClient, http::introspectionUri,
				http.clientAuthentication(), http.tokenTypeHint());
		client.setMaxResponseSize(http.maxResponseSize());
		client.setPreparationScheduler(http.preparationMayBlock() ? Schedulers.boundedElastic() : null);
		return client;
	}

	@Override
	public ReactiveIntrospectionClient observed(ReactiveIntrospectionClient client, IntrospectionListener listener) {
		return new ObservedReactiveIntrospectionClient(client, listener);
	}

	@Override
	public ReactiveIntrospectionClient circuitBreaker(ReactiveIntrospectionClient client, CircuitBreakerGuard guard) {
		return new CircuitBreakerReactiveIntrospectionClient(client, guard);
	}

	@Override
	public ReactiveIntrospectionClient retrying(ReactiveIntrospectionClient client,
			RetryingIntrospectionClient.Settings retry) {
		return new RetryingReactiveIntrospectionClient(client, retry);
	}

	@Override
	public ReactiveIntrospectionClient recording(ReactiveIntrospectionClient client,
			LastValidatedTokens lastValidated) {
		return (token) -> client.introspect(token).doOnNext((result) -> lastValidated.record(token, result));
	}

	@Override
	public ReactiveTokenLookup cached(ReactiveIntrospectionClient client, TokenCaches caches,
			@Nullable RefreshAhead refreshAhead, Clock clock) {
		return ReactiveTokenLookup.caching(
				new AsyncCachingLookup((token) -> client.introspect(token).toFuture(), caches, refreshAhead, clock));
	}

	@Override
	public ReactiveTokenLookup uncached(ReactiveIntrospectionClient client) {
		return ReactiveTokenLookup.uncached(client);
	}

	@Override
	public ReactiveTokenLookup staleIfError(ReactiveTokenLookup lookup, LastValidatedTokens lastValidated,
			List<StaleResultListener> listeners, Clock clock) {
		// The response is marked by the lookup itself, from the exchange in the Reactor
		// context.
		return new StaleIfErrorReactiveLookup(lookup,
				new StaleFallback(lastValidated, StaleResultListeners.of(listeners), clock));
	}

	@Override
	public ReactiveTokenLookup localJwt(ReactiveTokenLookup lookup, LocalJwtRouter router) {
		return new ReactiveLocalJwtLookup(lookup, router);
	}

	@Override
	public ReactiveTokenLookup syntaxGuarded(ReactiveTokenLookup lookup, int maxTokenLength) {
		return ReactiveTokenLookup.guarded(lookup, maxTokenLength);
	}

	@Override
	public ReactiveValidatingOpaqueTokenIntrospector introspector(ReactiveTokenLookup lookup,
			IntrospectionDecider decider) {
		return new ReactiveValidatingOpaqueTokenIntrospector(lookup, decider);
	}

}
