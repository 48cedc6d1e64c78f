package io.github.tokenintrospection.pipeline;

import java.time.Duration;
import java.util.List;

import io.github.tokenintrospection.IntrospectedToken;
import io.github.tokenintrospection.cache.StaleResultListener;

import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionException;

/**
 * Several stale-result listeners as one, told in order.
 */
final class StaleResultListeners implements StaleResultListener {

	private final List<StaleResultListener> listeners;

	private StaleResultListeners(List<StaleResultListener> listeners) {
		this.listeners = List.copyOf(listeners);
	}

	static StaleResultListener of(List<StaleResultListener> listeners) {
		return new StaleResultListeners(listeners);
	}

	@Override
	public void staleResultUsed(IntrospectedToken token, Duration age, OAuth2IntrospectionException failure) {
		for (StaleResultListener listener : this.listeners) {
			listener.staleResultUsed(token, age, failure);
		}
	}

}
