package io.github.tokenintrospection.internal.observation;

import java.time.Duration;

import io.github.tokenintrospection.IntrospectedToken;
import io.github.tokenintrospection.client.IntrospectionClient;
import io.github.tokenintrospection.observation.IntrospectionCall.Outcome;
import io.github.tokenintrospection.observation.IntrospectionCall;
import io.github.tokenintrospection.observation.IntrospectionListener;

import org.springframework.util.Assert;

/**
 * Tells a listener about each call to the authorization server: its outcome and duration.
 * Sits between the cache and the HTTP client, so cache hits are not calls.
 */
public final class ObservedIntrospectionClient implements IntrospectionClient {

	private final IntrospectionClient delegate;

	private final IntrospectionListener listener;

	/**
	 * Creates the decorator.
	 * @param delegate the client that calls the authorization server
	 * @param listener the listener to tell
	 */
	public ObservedIntrospectionClient(IntrospectionClient delegate, IntrospectionListener listener) {
		Assert.notNull(delegate, "delegate must not be null");
		Assert.notNull(listener, "listener must not be null");
		this.delegate = delegate;
		this.listener = listener;
	}

	@Override
	public IntrospectedToken introspect(String token) {
		long start = System.nanoTime();
		try {
			IntrospectedToken result = this.delegate.introspect(token);
			this.listener.introspectionCalled(
					new IntrospectionCall(result.isActive() ? Outcome.ACTIVE : Outcome.INACTIVE, since(start), "none"));
			return result;
		}
		catch (RuntimeException ex) {
			this.listener.introspectionCalled(IntrospectionCall.failed(since(start), ex));
			throw ex;
		}
	}

	private static Duration since(long start) {
		return Duration.ofNanos(System.nanoTime() - start);
	}

}
