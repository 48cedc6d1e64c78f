package io.github.tokenintrospection.internal.reactive;

import java.time.Duration;

import io.github.tokenintrospection.IntrospectedToken;
import io.github.tokenintrospection.observation.IntrospectionCall.Outcome;
import io.github.tokenintrospection.observation.IntrospectionCall;
import io.github.tokenintrospection.observation.IntrospectionListener;
import io.github.tokenintrospection.reactive.ReactiveIntrospectionClient;
import reactor.core.publisher.Mono;

import org.springframework.util.Assert;

/**
 * Tells a listener about each call to the authorization server, its outcome and duration,
 * as
 * {@link io.github.tokenintrospection.internal.observation.ObservedIntrospectionClient}
 * does for the blocking pipeline.
 */
public final class ObservedReactiveIntrospectionClient implements ReactiveIntrospectionClient {

	private final ReactiveIntrospectionClient delegate;

	private final IntrospectionListener listener;

	/**
	 * Creates the decorator.
	 * @param delegate the client that calls the authorization server
	 * @param listener the listener to tell
	 */
	public ObservedReactiveIntrospectionClient(ReactiveIntrospectionClient delegate, IntrospectionListener listener) {
		Assert.notNull(delegate, "delegate must not be null");
		Assert.notNull(listener, "listener must not be null");
		this.delegate = delegate;
		this.listener = listener;
	}

	@Override
	public Mono<IntrospectedToken> introspect(String token) {
		return Mono.defer(() -> {
			long start = System.nanoTime();
			return this.delegate.introspect(token)
				.doOnSuccess((result) -> this.listener.introspectionCalled(new IntrospectionCall(
						result.isActive() ? Outcome.ACTIVE : Outcome.INACTIVE, since(start), "none")))
				.doOnError((failure) -> this.listener
					.introspectionCalled(IntrospectionCall.failed(since(start), failure)));
		});
	}

	private static Duration since(long start) {
		return Duration.ofNanos(System.nanoTime() - start);
	}

}
