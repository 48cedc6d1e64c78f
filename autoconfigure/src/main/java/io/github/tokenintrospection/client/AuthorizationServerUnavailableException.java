package io.github.tokenintrospection.client;

import java.time.Duration;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionException;

/**
 * The authorization server could not be asked or gave no usable answer: it refused the
 * connection, timed out, answered an error status, or is not being called for a while.
 * The resource server answers 503, never 401: nothing is known about the token.
 */
public class AuthorizationServerUnavailableException extends OAuth2IntrospectionException {

	private static final long serialVersionUID = 1L;

	private final boolean retryable;

	private final transient @Nullable Duration retryAfter;

	/**
	 * Creates an exception.
	 * @param message what failed, never containing the token
	 * @param cause the underlying failure, or {@code null}
	 * @param retryable whether an immediate retry may succeed (a connection failure, or
	 * HTTP 502, 503, 504)
	 * @param retryAfter how long the server asked callers to wait, or {@code null}
	 */
	public AuthorizationServerUnavailableException(String message, @Nullable Throwable cause, boolean retryable,
			@Nullable Duration retryAfter) {
		super(message, cause);
		this.retryable = retryable;
		this.retryAfter = retryAfter;
	}

	/**
	 * Whether an immediate retry may succeed: the connection failed or the server
	 * answered 502, 503 or 504. A timeout, a 429 or another error status is not retried.
	 * @return {@code true} when the request may be repeated at once
	 */
	public boolean isRetryable() {
		return this.retryable;
	}

	/**
	 * Returns how long clients should wait before trying again, when known.
	 * @return the wait, empty when neither the server nor the circuit breaker told
	 */
	public Optional<Duration> getRetryAfter() {
		return Optional.ofNullable(this.retryAfter);
	}

}
