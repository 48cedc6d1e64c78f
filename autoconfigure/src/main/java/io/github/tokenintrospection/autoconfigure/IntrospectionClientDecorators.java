package io.github.tokenintrospection.autoconfigure;

import java.time.Clock;
import java.util.List;

import io.github.tokenintrospection.TokenSyntaxGuard;
import io.github.tokenintrospection.cache.LastValidatedTokens;
import io.github.tokenintrospection.cache.StaleIfErrorIntrospectionClient;
import io.github.tokenintrospection.cache.StaleResultListener;
import io.github.tokenintrospection.cache.TokenLookup;
import io.github.tokenintrospection.client.IntrospectionClient;
import io.github.tokenintrospection.resilience.RetryingIntrospectionClient;

/**
 * The stages around the cache that protect the service and the authorization server:
 * <pre>
 * TokenSyntaxGuard -> StaleIfError -> [cache] -> record last validated -> Retry -> CircuitBreaker -> HTTP
 * </pre>
 * The retry sits outside the circuit breaker, so that every attempt counts and an opened
 * breaker ends the retries; stale-if-error sits above the cache, so that a stale result is
 * never cached as a fresh one.
 */
final class IntrospectionClientDecorators {

	private final TokenIntrospectionProperties properties;

	private final CircuitBreakerDecorator circuitBreaker;

	private final LastValidatedTokens lastValidated;

	private final List<StaleResultListener> staleResultListeners;

	private final Clock clock;

	/**
	 * @param circuitBreaker the circuit breaker, or {@code null} when disabled
	 * @param staleResultListeners told of every stale result used
	 */
	IntrospectionClientDecorators(TokenIntrospectionProperties properties, CircuitBreakerDecorator circuitBreaker,
			List<StaleResultListener> staleResultListeners, Clock clock) {
		this.properties = properties;
		this.circuitBreaker = circuitBreaker;
		TokenIntrospectionProperties.Resilience.StaleIfError staleIfError = properties.getResilience()
			.getStaleIfError();
		this.lastValidated = staleIfError.isEnabled()
				? new LastValidatedTokens(staleIfError.getWindow(), staleIfError.getMaxSize(), clock) : null;
		this.staleResultListeners = List.copyOf(staleResultListeners);
		this.clock = clock;
	}

	/**
	 * Wraps the client that calls the authorization server; the result goes beneath the
	 * cache.
	 */
	IntrospectionClient aroundServerCalls(IntrospectionClient server) {
		IntrospectionClient client = server;
		if (this.circuitBreaker != null) {
			client = this.circuitBreaker.decorate(client);
		}
		TokenIntrospectionProperties.Resilience.Retry retry = this.properties.getResilience().getRetry();
		if (retry.isEnabled()) {
			client = new RetryingIntrospectionClient(client, retrySettings(retry));
		}
		if (this.lastValidated != null) {
			client = this.lastValidated.recording(client);
		}
		return client;
	}

	/** The retry settings of both pipelines. */
	static RetryingIntrospectionClient.Settings retrySettings(TokenIntrospectionProperties.Resilience.Retry retry) {
		return new RetryingIntrospectionClient.Settings(retry.getMaxRetries(), retry.getDelay(), retry.getMultiplier(),
				retry.getMaxDelay(), retry.getJitter(), retry.getTimeBudget());
	}

	/**
	 * Wraps the (caching) lookup; the result is what the introspector calls.
	 */
	TokenLookup aroundCache(TokenLookup cached) {
		TokenLookup lookup = cached;
		if (this.lastValidated != null) {
			List<StaleResultListener> listeners = this.staleResultListeners;
			lookup = new StaleIfErrorIntrospectionClient(lookup, this.lastValidated, (token, age, failure) -> {
				for (StaleResultListener listener : listeners) {
					listener.staleResultUsed(token, age, failure);
				}
			}, this.clock);
		}
		return TokenSyntaxGuard.guarding(lookup, this.properties.getLimits().getMaxTokenLength());
	}

}
