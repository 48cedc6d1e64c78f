package io.github.tokenintrospection.pipeline;

import java.time.Clock;
import java.util.List;
import java.util.function.UnaryOperator;

import io.github.tokenintrospection.IntrospectionDecider;
import io.github.tokenintrospection.cache.AsyncCachingLookup;
import io.github.tokenintrospection.cache.LastValidatedTokens;
import io.github.tokenintrospection.cache.StaleFallback;
import io.github.tokenintrospection.cache.StaleResultListener;
import io.github.tokenintrospection.cache.TokenCaches;
import io.github.tokenintrospection.client.IntrospectionExchange;
import io.github.tokenintrospection.observation.IntrospectionListener;
import io.github.tokenintrospection.reactive.CircuitBreakerReactiveIntrospectionClient;
import io.github.tokenintrospection.reactive.ObservedReactiveIntrospectionClient;
import io.github.tokenintrospection.reactive.ReactiveIntrospectionClient;
import io.github.tokenintrospection.reactive.ReactiveTokenLookup;
import io.github.tokenintrospection.reactive.ReactiveValidatingOpaqueTokenIntrospector;
import io.github.tokenintrospection.reactive.RetryingReactiveIntrospectionClient;
import io.github.tokenintrospection.reactive.StaleIfErrorReactiveLookup;
import io.github.tokenintrospection.reactive.WebClientIntrospectionClient;
import io.github.tokenintrospection.resilience.CircuitBreakerGuard;
import io.github.tokenintrospection.resilience.RetryingIntrospectionClient;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.http.client.reactive.JdkClientHttpConnector;
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
		IntrospectionExchange exchange = new IntrospectionExchange(http::introspectionUri, http.clientAuthentication(),
				http.tokenTypeHint());
		exchange.setMaxResponseSize(http.maxResponseSize());
		JdkClientHttpConnector connector = new JdkClientHttpConnector(http.httpClient());
		connector.setReadTimeout(http.readTimeout());
		// Request details (the Authorization header, form values) are never logged.
		WebClient webClient = WebClient.builder()
			.clientConnector(connector)
			.codecs((codecs) -> codecs.defaultCodecs().enableLoggingRequestDetails(false))
			.build();
		return new WebClientIntrospectionClient(webClient, exchange,
				http.preparationMayBlock() ? Schedulers.boundedElastic() : null);
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
	public ReactiveTokenLookup cached(ReactiveIntrospectionClient client, TokenCaches caches, Clock clock) {
		return ReactiveTokenLookup.caching(new AsyncCachingLookup((token) -> client.introspect(token).toFuture(),
				caches.active(), caches.inactive(), clock));
	}

	@Override
	public ReactiveTokenLookup uncached(ReactiveIntrospectionClient client) {
		return ReactiveTokenLookup.uncached(client);
	}

	@Override
	public ReactiveTokenLookup staleIfError(ReactiveTokenLookup lookup, LastValidatedTokens lastValidated,
			List<StaleResultListener> listeners, Clock clock) {
		// The response is marked by the lookup itself, from the exchange in the Reactor context.
		return new StaleIfErrorReactiveLookup(lookup,
				new StaleFallback(lastValidated, StaleResultListeners.of(listeners), clock));
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
