package io.github.tokenintrospection.internal.reactive;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.tokenintrospection.IntrospectedToken;
import io.github.tokenintrospection.client.AuthorizationServerUnavailableException;
import io.github.tokenintrospection.internal.resilience.CircuitBreakerGuard;
import io.github.tokenintrospection.internal.resilience.CircuitBreakerIntrospectionClient;
import io.github.tokenintrospection.internal.resilience.CircuitOpenException;
import io.github.tokenintrospection.internal.resilience.RetryingIntrospectionClient;
import io.github.tokenintrospection.reactive.ReactiveIntrospectionClient;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reactive circuit breaker and retry follow the blocking pipeline's rules.
 */
class CircuitBreakerReactiveIntrospectionClientTests {

	private final AtomicInteger calls = new AtomicInteger();

	@Test
	void introspectWhenServerKeepsFailingThenOpensAndFailsFastWithRetryAfter() {
		CircuitBreaker breaker = CircuitBreakerIntrospectionClient.circuitBreaker("test",
				new CircuitBreakerIntrospectionClient.Settings(50, 2, 2, Duration.ofSeconds(30), 1), Clock.systemUTC());
		ReactiveIntrospectionClient client = new CircuitBreakerReactiveIntrospectionClient(failing(false),
				new CircuitBreakerGuard(breaker));

		StepVerifier.create(client.introspect("t")).expectError(AuthorizationServerUnavailableException.class).verify();
		StepVerifier.create(client.introspect("t")).expectError(AuthorizationServerUnavailableException.class).verify();
		StepVerifier.create(client.introspect("t"))
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOf(CircuitOpenException.class)
				.satisfies((open) -> assertThat(((CircuitOpenException) open).getRetryAfter()).isPresent()))
			.verify();

		assertThat(this.calls).hasValue(2);
		assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
	}

	@Test
	void introspectWhenInactiveAnswersThenBreakerStaysClosed() {
		CircuitBreaker breaker = CircuitBreakerIntrospectionClient.circuitBreaker("test",
				new CircuitBreakerIntrospectionClient.Settings(50, 2, 2, Duration.ofSeconds(30), 1), Clock.systemUTC());
		ReactiveIntrospectionClient client = new CircuitBreakerReactiveIntrospectionClient(
				(token) -> Mono.just(IntrospectedToken.inactive()), new CircuitBreakerGuard(breaker));

		for (int i = 0; i < 5; i++) {
			StepVerifier.create(client.introspect("t")).expectNext(IntrospectedToken.inactive()).verifyComplete();
		}
		assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
	}

	@Test
	void introspectWhenRetryableFailureThenRetriedAsTheBlockingPolicySays() {
		ReactiveIntrospectionClient client = new RetryingReactiveIntrospectionClient(failing(true),
				new RetryingIntrospectionClient.Settings(2, Duration.ofMillis(10), 2, Duration.ofMillis(50),
						Duration.ZERO, Duration.ofSeconds(2)));

		StepVerifier.create(client.introspect("t")).expectError(AuthorizationServerUnavailableException.class).verify();

		assertThat(this.calls).hasValue(3);
	}

	@Test
	void introspectWhenNotRetryableFailureThenNotRetried() {
		ReactiveIntrospectionClient client = new RetryingReactiveIntrospectionClient((token) -> Mono.defer(() -> {
			this.calls.incrementAndGet();
			return Mono.error(new OAuth2IntrospectionException("Malformed introspection response"));
		}), new RetryingIntrospectionClient.Settings(2, Duration.ofMillis(10), 2, Duration.ofMillis(50), Duration.ZERO,
				Duration.ofSeconds(2)));

		StepVerifier.create(client.introspect("t")).expectError(OAuth2IntrospectionException.class).verify();

		assertThat(this.calls).hasValue(1);
	}

	@Test
	void introspectWhenBackoffWouldExceedTheBudgetThenNoFurtherRetry() {
		ReactiveIntrospectionClient client = new RetryingReactiveIntrospectionClient(failing(true),
				new RetryingIntrospectionClient.Settings(5, Duration.ofMillis(300), 1, Duration.ofMillis(300),
						Duration.ZERO, Duration.ofMillis(500)));

		StepVerifier.create(client.introspect("t")).expectError(AuthorizationServerUnavailableException.class).verify();

		assertThat(this.calls).hasValue(2);
	}

	private ReactiveIntrospectionClient failing(boolean retryable) {
		return (token) -> Mono.defer(() -> {
			this.calls.incrementAndGet();
			return Mono.error(new AuthorizationServerUnavailableException("HTTP 503", null, retryable, null));
		});
	}

}
