package io.github.tokenintrospection.internal.resilience;

import java.time.Duration;

import io.github.tokenintrospection.client.AuthorizationServerUnavailableException;
import org.jspecify.annotations.Nullable;

/**
 * The authorization server was not called because the circuit breaker is open after
 * repeated failures. Answered with 503 like any outage, but logged at DEBUG level only:
 * the opening itself was logged at WARN.
 */
public class CircuitOpenException extends AuthorizationServerUnavailableException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates an exception.
	 * @param retryAfter time left until the circuit breaker lets a probe through, or
	 * {@code null} when unknown
	 */
	public CircuitOpenException(@Nullable Duration retryAfter) {
		super("Authorization server not called: its circuit breaker is open after repeated failures", null, false,
				retryAfter);
	}

}
