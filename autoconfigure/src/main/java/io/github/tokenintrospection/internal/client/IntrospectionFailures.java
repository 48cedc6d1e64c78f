package io.github.tokenintrospection.internal.client;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.function.Predicate;

import io.github.tokenintrospection.client.AuthorizationServerUnavailableException;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

/**
 * Sorts failures to call the introspection endpoint into the kinds the resilience layer
 * and the 503 response need: worth an immediate retry or not, and how long the server
 * asked callers to wait.
 */
final class IntrospectionFailures {

	private IntrospectionFailures() {
	}

	/**
	 * A non-200 answer. 502, 503 and 504 come from gateways and restarting servers and
	 * are worth retrying; a 429 is the server asking for less load, and any other status
	 * will not change on a retry (a 400 or 401 means the resource server is
	 * misconfigured).
	 */
	static AuthorizationServerUnavailableException errorStatus(int status, HttpHeaders headers, Clock clock) {
		boolean retryable = status == HttpStatus.BAD_GATEWAY.value() || status == HttpStatus.SERVICE_UNAVAILABLE.value()
				|| status == HttpStatus.GATEWAY_TIMEOUT.value();
		Duration retryAfter = retryAfter(headers.getFirst(HttpHeaders.RETRY_AFTER), clock);
		return new AuthorizationServerUnavailableException("Introspection endpoint answered HTTP " + status, null,
				retryable, retryAfter);
	}

	/**
	 * A request that got no answer. A failure to connect, or a connection closed before
	 * the answer was complete, is retried: introspection changes nothing on the server. A
	 * read timeout is not: the server is slow, and waiting again would only double the
	 * delay.
	 */
	static AuthorizationServerUnavailableException requestFailed(URI endpoint, Throwable ex, Duration elapsed) {
		IOException io = ioCause(ex);
		boolean timedOut = (io instanceof HttpTimeoutException && !(io instanceof HttpConnectTimeoutException))
				|| io instanceof SocketTimeoutException || isNettyReadTimeout(ex);
		// A refused certificate or handshake fails the same way every time.
		boolean tlsFailure = io instanceof javax.net.ssl.SSLException;
		// The message names the endpoint and the I/O problem; the token is only in the
		// body.
		return new AuthorizationServerUnavailableException("Introspection request to " + endpoint + " failed after "
				+ elapsed.toMillis() + " ms: " + describe(ex, io, timedOut), ex, io != null && !timedOut && !tlsFailure,
				null);
	}

	/**
	 * What went wrong, in words: the JDK's connection and timeout exceptions often carry
	 * no message at all, and a wrapper's message then ends in "null".
	 */
	private static String describe(Throwable ex, @Nullable IOException io, boolean timedOut) {
		if (timedOut) {
			return "no answer within the read timeout (token-introspection.read-timeout)";
		}
		if (io == null) {
			return ex.getClass().getSimpleName() + detail(ex.getMessage());
		}
		if (io instanceof HttpConnectTimeoutException) {
			return "no connection within the connect timeout (token-introspection.connect-timeout)";
		}
		if (io instanceof ConnectException) {
			return "could not connect" + detail((io.getMessage() != null) ? io.getMessage() : "connection refused");
		}
		if (io instanceof javax.net.ssl.SSLException) {
			return "TLS failure" + detail(io.getMessage());
		}
		return "connection failed before a complete answer (" + io.getClass().getSimpleName()
				+ ((io.getMessage() != null) ? ": " + io.getMessage() : "") + ")";
	}

	private static String detail(@Nullable String message) {
		return (message != null) ? " (" + message + ")" : "";
	}

	/**
	 * Parses a {@code Retry-After} value: delay-seconds or an HTTP-date (RFC 9110 section
	 * 10.2.3).
	 * @return the wait, or {@code null} when absent, in the past or unparseable
	 */
	static @Nullable Duration retryAfter(@Nullable String value, Clock clock) {
		if (value == null || value.isBlank()) {
			return null;
		}
		String trimmed = value.strip();
		if (trimmed.chars().allMatch(Character::isDigit)) {
			try {
				return Duration.ofSeconds(Long.parseLong(trimmed));
			}
			catch (NumberFormatException ex) {
				return null;
			}
		}
		try {
			Instant at = ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
			Duration wait = Duration.between(clock.instant(), at);
			return wait.isNegative() ? null : wait;
		}
		catch (DateTimeParseException ex) {
			return null;
		}
	}

	/**
	 * Reactor Netty's response timeout, which is no IOException. Matched by name: the
	 * blocking stack runs without Netty.
	 */
	private static boolean isNettyReadTimeout(Throwable ex) {
		return cause(ex,
				(cause) -> cause.getClass().getName().equals("io.netty.handler.timeout.ReadTimeoutException")) != null;
	}

	private static @Nullable IOException ioCause(Throwable ex) {
		return (IOException) cause(ex, IOException.class::isInstance);
	}

	/** The failure itself or the first of its causes that matches, or {@code null}. */
	private static @Nullable Throwable cause(Throwable ex, Predicate<Throwable> matches) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (matches.test(cause)) {
				return cause;
			}
		}
		return null;
	}

}
