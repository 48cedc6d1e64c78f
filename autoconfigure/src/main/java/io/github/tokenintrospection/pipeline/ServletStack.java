package io.github.tokenintrospection.pipeline;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import io.github.tokenintrospection.cache.StaleResultListener;
import io.github.tokenintrospection.client.IntrospectionClient;
import io.github.tokenintrospection.client.RestClientIntrospectionClient;
import io.github.tokenintrospection.internal.cache.CachingIntrospectionClient;
import io.github.tokenintrospection.internal.cache.LastValidatedTokens;
import io.github.tokenintrospection.internal.cache.RefreshAhead;
import io.github.tokenintrospection.internal.cache.StaleIfErrorIntrospectionClient;
import io.github.tokenintrospection.internal.cache.TokenCaches;
import io.github.tokenintrospection.internal.cache.TokenLookup;
import io.github.tokenintrospection.internal.introspector.IntrospectionDecider;
import io.github.tokenintrospection.internal.introspector.TokenSyntaxGuard;
import io.github.tokenintrospection.internal.introspector.ValidatingOpaqueTokenIntrospector;
import io.github.tokenintrospection.internal.jwt.LocalJwtLookup;
import io.github.tokenintrospection.internal.jwt.LocalJwtRouter;
import io.github.tokenintrospection.internal.observation.ObservedIntrospectionClient;
import io.github.tokenintrospection.internal.resilience.CircuitBreakerGuard;
import io.github.tokenintrospection.internal.resilience.CircuitBreakerIntrospectionClient;
import io.github.tokenintrospection.internal.resilience.RetryingIntrospectionClient;
import io.github.tokenintrospection.internal.servlet.CurrentPresentedCredentials;
import io.github.tokenintrospection.internal.servlet.CurrentRequestPath;
import io.github.tokenintrospection.internal.servlet.StaleResponseHeader;
import io.github.tokenintrospection.observation.IntrospectionListener;
import org.jspecify.annotations.Nullable;

import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

/**
 * The servlet stack: calls block the request's thread ({@link RestClient}), and a stale
 * result is marked on the current servlet response.
 */
final class ServletStack implements PipelineStack<IntrospectionClient, TokenLookup, ValidatingOpaqueTokenIntrospector> {

	@Override
	public IntrospectionClient transport(PipelineSettings settings) {
		IntrospectionClient client = (settings.client() != null) ? settings.client() : http(settings.http("servlet"));
		for (UnaryOperator<IntrospectionClient> decorator : settings.clientDecorators()) {
			client = decorator.apply(client);
		}
		return client;
	}

	private static IntrospectionClient http(PipelineSettings.HttpTransport http) {
		JdkClientHttpRequestFactory requestFactory = new JdkClientHttpRequestFactory(http.httpClient());
		requestFactory.setReadTimeout(http.readTimeout());
		RestClientIntrospectionClient client = new RestClientIntrospectionClient(
				RestClient.builder().requestFactory(requestFactory).build(), http::introspectionUri,
				http.clientAuthentication(), http.tokenTypeHint());
		client.setMaxResponseSize(http.maxResponseSize());
		return client;
	}

	@Override
	public IntrospectionClient observed(IntrospectionClient client, IntrospectionListener listener) {
		return new ObservedIntrospectionClient(client, listener);
	}

	@Override
	public IntrospectionClient circuitBreaker(IntrospectionClient client, CircuitBreakerGuard guard) {
		return new CircuitBreakerIntrospectionClient(client, guard);
	}

	@Override
	public IntrospectionClient retrying(IntrospectionClient client, RetryingIntrospectionClient.Settings retry) {
		return new RetryingIntrospectionClient(client, retry);
	}

	@Override
	public IntrospectionClient recording(IntrospectionClient client, LastValidatedTokens lastValidated) {
		return lastValidated.recording(client);
	}

	@Override
	public TokenLookup cached(IntrospectionClient client, TokenCaches caches, @Nullable RefreshAhead refreshAhead,
			Clock clock) {
		return new CachingIntrospectionClient(client, caches, refreshAhead, clock);
	}

	@Override
	public TokenLookup uncached(IntrospectionClient client) {
		return TokenLookup.uncached(client);
	}

	@Override
	public TokenLookup staleIfError(TokenLookup lookup, LastValidatedTokens lastValidated,
			List<StaleResultListener> listeners, Clock clock) {
		// The response header first, as the reactive stack marks its response per
		// request.
		List<StaleResultListener> all = new ArrayList<>(listeners.size() + 1);
		all.add(new StaleResponseHeader());
		all.addAll(listeners);
		return new StaleIfErrorIntrospectionClient(lookup, lastValidated, StaleResultListeners.of(all), clock);
	}

	@Override
	public TokenLookup localJwt(TokenLookup lookup, LocalJwtRouter router) {
		return new LocalJwtLookup(lookup, router, new CurrentRequestPath());
	}

	@Override
	public TokenLookup syntaxGuarded(TokenLookup lookup, int maxTokenLength) {
		return TokenSyntaxGuard.guarding(lookup, maxTokenLength);
	}

	@Override
	public ValidatingOpaqueTokenIntrospector introspector(TokenLookup lookup, IntrospectionDecider decider) {
		return new ValidatingOpaqueTokenIntrospector(lookup, decider, new CurrentPresentedCredentials());
	}

}
