package io.github.tokenintrospection.internal.reactive;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.tokenintrospection.IntrospectedToken;
import io.github.tokenintrospection.internal.resilience.CircuitBreakerGuard;
import io.github.tokenintrospection.reactive.ReactiveIntrospectionClient;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

import org.springframework.util.Assert;

/**
 * Stops calling a failing authorization server for a cool-down, with the same
 * Resilience4j {@link CircuitBreaker} and rules as the blocking pipeline
 * ({@link CircuitBreakerGuard}): permission is asked on subscription, the outcome
 * reported when the call completes, and a cancelled call gives its permission back.
 */
public final class CircuitBreakerReactiveIntrospectionClient implements ReactiveIntrospectionClient {

	private final ReactiveIntrospectionClient delegate;

	private final CircuitBreakerGuard guard;

	/**
	 * Creates a client guarded by a circuit breaker.
	 * @param delegate the client that calls the authorization server
	 * @param guard the circuit breaker's rules
	 */
	public CircuitBreakerReactiveIntrospectionClient(ReactiveIntrospectionClient delegate, CircuitBreakerGuard guard) {
		Assert.notNull(delegate, "delegate must not be null");
		Assert.notNull(guard, "guard must not be null");
		this.delegate = delegate;
		this.guard = guard;
	}

	@Override
	public Mono<IntrospectedToken> introspect(String token) {
		return Mono.defer(() -> {
			long start = this.guard.acquirePermission();
			return this.delegate.introspect(token)
				.doOnSuccess((result) -> this.guard.onSuccess(start))
				.doOnError((failure) -> this.guard.onError(start, failure))
				.doFinally((signal) -> {
					if (signal == SignalType.CANCEL) {
						this.guard.releasePermission();
					}
				});
		});
	}

}
