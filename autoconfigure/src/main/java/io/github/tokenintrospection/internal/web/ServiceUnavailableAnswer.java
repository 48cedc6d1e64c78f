package io.github.tokenintrospection.internal.web;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Supplier;

import io.github.tokenintrospection.client.AuthorizationServerUnavailableException;
import io.github.tokenintrospection.internal.resilience.CircuitOpenException;
import org.apache.commons.logging.Log;
import org.jspecify.annotations.Nullable;

import org.springframework.http.MediaType;
import org.springframework.security.oauth2.server.resource.introspection.BadOpaqueTokenException;
import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionException;
import org.springframework.util.Assert;

/**
 * The 503 answer to a failure to introspect, shared by the servlet filter and the WebFlux
 * filter: which failures get it, its {@code Retry-After}, its content type and body, and
 * how it is logged.
 */
public final class ServiceUnavailableAnswer {

	/** The JSON body of every 503. */
	public static final String BODY = "{\"error\":\"temporarily_unavailable\","
			+ "\"error_description\":\"The authorization server could not check the access token; try again later\"}";

	/**
	 * The {@code Content-Type} of every 503, the same on both stacks: the registered JSON
	 * type, without a {@code charset} parameter (RFC 8259 defines none; JSON is UTF-8).
	 */
	public static final String CONTENT_TYPE = MediaType.APPLICATION_JSON_VALUE;

	private final Supplier<Duration> defaultRetryAfter;

	/**
	 * Creates the answer.
	 * @param defaultRetryAfter supplies the {@code Retry-After} to send when neither the
	 * authorization server nor the circuit breaker gave one
	 */
	public ServiceUnavailableAnswer(Supplier<Duration> defaultRetryAfter) {
		Assert.notNull(defaultRetryAfter, "defaultRetryAfter must not be null");
		this.defaultRetryAfter = defaultRetryAfter;
	}

	/**
	 * Returns the body as the bytes to send.
	 * @return the UTF-8 encoded {@link #BODY}
	 */
	public static byte[] bodyBytes() {
		return BODY.getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * Finds the authorization-server failure behind an exception, if any. A bad token is
	 * not one: it gets 401.
	 * @param ex what the security filter chain threw
	 * @return the failure, or {@code null}
	 */
	public static @Nullable OAuth2IntrospectionException introspectionFailure(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof OAuth2IntrospectionException failure && !(cause instanceof BadOpaqueTokenException)) {
				return failure;
			}
		}
		return null;
	}

	/**
	 * Returns the {@code Retry-After} in whole seconds, rounded up, at least one ("0"
	 * would invite an immediate retry).
	 * @param failure the failure
	 * @return the seconds
	 */
	public long retryAfterSeconds(OAuth2IntrospectionException failure) {
		Duration retryAfter = null;
		if (failure instanceof AuthorizationServerUnavailableException unavailable) {
			retryAfter = unavailable.getRetryAfter().orElse(null);
		}
		if (retryAfter == null) {
			retryAfter = this.defaultRetryAfter.get();
		}
		long seconds = retryAfter.toSeconds() + ((retryAfter.toNanosPart() > 0) ? 1 : 0);
		return Math.max(1, seconds);
	}

	/**
	 * Logs the failure without the token: WARN, or DEBUG while the circuit breaker is
	 * open, whose opening was logged already.
	 * @param logger the filter's logger
	 * @param failure the failure
	 */
	public static void log(Log logger, OAuth2IntrospectionException failure) {
		String message = "Token introspection failed, answering 503: " + failure.getMessage();
		if (failure instanceof CircuitOpenException) {
			logger.debug(message);
		}
		else {
			logger.warn(message);
		}
	}

}
