package io.github.tokenintrospection.internal.resilience;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.tokenintrospection.IntrospectedToken;
import io.github.tokenintrospection.client.AuthorizationServerUnavailableException;
import io.github.tokenintrospection.client.IntrospectionClient;
import org.junit.jupiter.api.Test;

import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class RetryingIntrospectionClientTests {

	private static final RetryingIntrospectionClient.Settings TWO_QUICK_RETRIES = new RetryingIntrospectionClient.Settings(
			2, Duration.ofMillis(1), 2, Duration.ofMillis(4), Duration.ZERO, Duration.ofSeconds(10));

	private static final IntrospectedToken ACTIVE = IntrospectedToken.active(Map.of("sub", "alice"));

	private final AtomicInteger attempts = new AtomicInteger();

	@Test
	void introspectWhenRetryableFailureThenRetriedUntilMaxRetriesAndLastFailureThrown() {
		RetryingIntrospectionClient client = new RetryingIntrospectionClient((token) -> {
			throw unavailable("attempt " + this.attempts.incrementAndGet(), true);
		}, TWO_QUICK_RETRIES);

		assertThatExceptionOfType(AuthorizationServerUnavailableException.class)
			.isThrownBy(() -> client.introspect("t"))
			.withMessage("attempt 3");
		assertThat(this.attempts).hasValue(3);
	}

	@Test
	void introspectWhenRetryableFailureThenSuccessThenResultReturned() {
		RetryingIntrospectionClient client = new RetryingIntrospectionClient((token) -> {
			if (this.attempts.incrementAndGet() < 3) {
				throw unavailable("connection refused", true);
			}
			return ACTIVE;
		}, TWO_QUICK_RETRIES);

		assertThat(client.introspect("t")).isSameAs(ACTIVE);
		assertThat(this.attempts).hasValue(3);
	}

	@Test
	void introspectWhenFailureNotRetryableThenOneAttempt() {
		AuthorizationServerUnavailableException tooManyRequests = unavailable("HTTP 429", false);
		RetryingIntrospectionClient client = new RetryingIntrospectionClient((token) -> {
			this.attempts.incrementAndGet();
			throw tooManyRequests;
		}, TWO_QUICK_RETRIES);

		assertThatExceptionOfType(AuthorizationServerUnavailableException.class)
			.isThrownBy(() -> client.introspect("t"))
			.isSameAs(tooManyRequests);
		assertThat(this.attempts).hasValue(1);
	}

	@Test
	void introspectWhenMalformedResponseThenOneAttempt() {
		RetryingIntrospectionClient client = new RetryingIntrospectionClient((token) -> {
			this.attempts.incrementAndGet();
			throw new OAuth2IntrospectionException("Malformed introspection response");
		}, TWO_QUICK_RETRIES);

		assertThatExceptionOfType(OAuth2IntrospectionException.class).isThrownBy(() -> client.introspect("t"));
		assertThat(this.attempts).hasValue(1);
	}

	@Test
	void introspectWhenCircuitOpenThenNotRetried() {
		RetryingIntrospectionClient client = new RetryingIntrospectionClient((token) -> {
			this.attempts.incrementAndGet();
			throw new CircuitOpenException(Duration.ofSeconds(3));
		}, TWO_QUICK_RETRIES);

		assertThatExceptionOfType(CircuitOpenException.class).isThrownBy(() -> client.introspect("t"));
		assertThat(this.attempts).hasValue(1);
	}

	@Test
	void introspectWhenInactiveThenReturnedWithoutRetry() {
		RetryingIntrospectionClient client = new RetryingIntrospectionClient((token) -> {
			this.attempts.incrementAndGet();
			return IntrospectedToken.inactive();
		}, TWO_QUICK_RETRIES);

		assertThat(client.introspect("t").isActive()).isFalse();
		assertThat(this.attempts).hasValue(1);
	}

	@Test
	void introspectWhenTimeBudgetSpentThenNoFurtherAttemptDespiteRetriesLeft() {
		// Each attempt takes 60 ms; with a 100 ms budget the second attempt ends past it,
		// so no
		// third starts, although 1,000 retries are allowed.
		RetryingIntrospectionClient.Settings budgeted = new RetryingIntrospectionClient.Settings(1_000,
				Duration.ofMillis(1), 1, Duration.ofMillis(1), Duration.ZERO, Duration.ofMillis(100));
		IntrospectionClient slowFailure = (token) -> {
			this.attempts.incrementAndGet();
			sleep(60);
			throw unavailable("connection reset", true);
		};
		RetryingIntrospectionClient client = new RetryingIntrospectionClient(slowFailure, budgeted);

		assertThatExceptionOfType(AuthorizationServerUnavailableException.class)
			.isThrownBy(() -> client.introspect("t"));
		assertThat(this.attempts.get()).isBetween(1, 3);
	}

	private static AuthorizationServerUnavailableException unavailable(String message, boolean retryable) {
		return new AuthorizationServerUnavailableException(message, null, retryable, null);
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
