package io.github.tokenintrospection.internal.resilience;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.tokenintrospection.IntrospectedToken;
import io.github.tokenintrospection.client.AuthorizationServerUnavailableException;
import io.github.tokenintrospection.client.IntrospectionClient;
import io.github.tokenintrospection.testsupport.MutableClock;
import org.junit.jupiter.api.Test;

import org.springframework.security.oauth2.server.resource.introspection.BadOpaqueTokenException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class CircuitBreakerIntrospectionClientTests {

	private static final Duration COOL_DOWN = Duration.ofSeconds(30);

	/** Opens at 50 % failures over the last 4 calls, once 4 calls were made. */
	private static final CircuitBreakerIntrospectionClient.Settings SETTINGS = new CircuitBreakerIntrospectionClient.Settings(
			50, 4, 4, COOL_DOWN, 1);

	private final MutableClock clock = MutableClock.startingAt("2030-01-01T00:00:00Z");

	private final CircuitBreaker circuitBreaker = CircuitBreakerIntrospectionClient.circuitBreaker("test", SETTINGS,
			this.clock);

	private final AtomicInteger serverCalls = new AtomicInteger();

	private final AtomicBoolean serverDown = new AtomicBoolean(true);

	private final CircuitBreakerIntrospectionClient client = new CircuitBreakerIntrospectionClient((token) -> {
		this.serverCalls.incrementAndGet();
		if (this.serverDown.get()) {
			throw new AuthorizationServerUnavailableException("HTTP 503", null, true, null);
		}
		return IntrospectedToken.active(Map.of("sub", "alice"));
	}, this.circuitBreaker);

	@Test
	void introspectWhenFailureRateReachedThenFailsFastWithoutCallingServer() {
		failTimes(4);
		assertThat(this.circuitBreaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);

		assertThatExceptionOfType(CircuitOpenException.class).isThrownBy(() -> this.client.introspect("t"));
		assertThat(this.serverCalls).hasValue(4);
	}

	@Test
	void introspectWhenOpenThenRetryAfterIsTimeLeftInCoolDown() {
		failTimes(4);
		this.clock.advance(Duration.ofSeconds(10));

		CircuitOpenException failure = catchCircuitOpen();

		assertThat(failure.getRetryAfter()).hasValue(Duration.ofSeconds(20));
		assertThat(failure.isRetryable()).isFalse();
	}

	@Test
	void introspectWhenCoolDownOverAndProbeSucceedsThenClosedAndServerCalled() {
		failTimes(4);
		this.serverDown.set(false);
		this.clock.advance(COOL_DOWN.plusMillis(1));

		assertThat(this.client.introspect("t").isActive()).isTrue();

		assertThat(this.serverCalls).hasValue(5);
		assertThat(this.circuitBreaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
	}

	@Test
	void introspectWhenCoolDownOverAndProbeFailsThenOpenAgain() {
		failTimes(4);
		this.clock.advance(COOL_DOWN.plusMillis(1));

		assertThatExceptionOfType(AuthorizationServerUnavailableException.class)
			.isThrownBy(() -> this.client.introspect("t"))
			.isNotInstanceOf(CircuitOpenException.class);

		assertThat(this.circuitBreaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
		assertThat(catchCircuitOpen().getRetryAfter()).hasValue(COOL_DOWN);
		assertThat(this.serverCalls).hasValue(5);
	}

	@Test
	void introspectWhenCoolDownNotOverThenStillOpen() {
		failTimes(4);
		this.serverDown.set(false);
		this.clock.advance(COOL_DOWN.minusSeconds(1));

		catchCircuitOpen();

		assertThat(this.serverCalls).hasValue(4);
	}

	@Test
	void introspectWhenBelowMinimumNumberOfCallsThenStaysClosed() {
		failTimes(3);

		assertThat(this.circuitBreaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
	}

	@Test
	void introspectWhenInactiveAnswersThenTheyCountAsSuccesses() {
		CircuitBreakerIntrospectionClient inactive = new CircuitBreakerIntrospectionClient((token) -> {
			this.serverCalls.incrementAndGet();
			return IntrospectedToken.inactive();
		}, this.circuitBreaker);

		for (int i = 0; i < 10; i++) {
			assertThat(inactive.introspect("random-" + i).isActive()).isFalse();
		}

		assertThat(this.circuitBreaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
		assertThat(this.circuitBreaker.getMetrics().getNumberOfFailedCalls()).isZero();
	}

	@Test
	void introspectWhenBadOpaqueTokenThenNotCountedAsFailure() {
		IntrospectionClient rejecting = (token) -> {
			throw new BadOpaqueTokenException("malformed");
		};
		CircuitBreakerIntrospectionClient guarded = new CircuitBreakerIntrospectionClient(rejecting,
				this.circuitBreaker);

		for (int i = 0; i < 10; i++) {
			assertThatExceptionOfType(BadOpaqueTokenException.class).isThrownBy(() -> guarded.introspect("t"));
		}

		assertThat(this.circuitBreaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
	}

	private void failTimes(int times) {
		for (int i = 0; i < times; i++) {
			assertThatExceptionOfType(AuthorizationServerUnavailableException.class)
				.isThrownBy(() -> this.client.introspect("t"))
				.isNotInstanceOf(CircuitOpenException.class);
		}
	}

	private CircuitOpenException catchCircuitOpen() {
		try {
			this.client.introspect("t");
		}
		catch (CircuitOpenException ex) {
			return ex;
		}
		throw new AssertionError("Expected the circuit breaker to be open");
	}

}
