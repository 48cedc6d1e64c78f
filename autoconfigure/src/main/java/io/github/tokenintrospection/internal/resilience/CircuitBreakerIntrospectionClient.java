package io.github.tokenintrospection.internal.resilience;

import java.time.Clock;
import java.time.Duration;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.tokenintrospection.IntrospectedToken;
import io.github.tokenintrospection.client.IntrospectionClient;

import org.springframework.security.oauth2.server.resource.introspection.BadOpaqueTokenException;
import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionException;
import org.springframework.util.Assert;

/**
 * Stops calling a failing authorization server for a cool-down, using a Resilience4j
 * {@link CircuitBreaker}: once the failure rate over the last calls passes the threshold,
 * introspection fails fast with {@link CircuitOpenException} (503 with the time left as
 * {@code Retry-After}); after the cool-down a few probe calls decide whether to close it
 * again. This spares a recovering server a stampede of every waiting request.
 * <p>
 * Server faults ({@link OAuth2IntrospectionException}s other than
 * {@link BadOpaqueTokenException}) count as failures; any answer, active or not, as a
 * success.
 */
public final class CircuitBreakerIntrospectionClient implements IntrospectionClient {

	private final IntrospectionClient delegate;

	private final CircuitBreakerGuard guard;

	/**
	 * Creates a client guarded by a circuit breaker.
	 * @param delegate the client that calls the authorization server
	 * @param circuitBreaker the circuit breaker, usually from
	 * {@link #circuitBreaker(String, Settings, Clock)}
	 */
	public CircuitBreakerIntrospectionClient(IntrospectionClient delegate, CircuitBreaker circuitBreaker) {
		this(delegate, new CircuitBreakerGuard(circuitBreaker));
	}

	/**
	 * Creates a client guarded by a circuit breaker, with the shape of its reactive twin.
	 * @param delegate the client that calls the authorization server
	 * @param guard the circuit breaker's rules
	 */
	public CircuitBreakerIntrospectionClient(IntrospectionClient delegate, CircuitBreakerGuard guard) {
		Assert.notNull(delegate, "delegate must not be null");
		Assert.notNull(guard, "guard must not be null");
		this.delegate = delegate;
		this.guard = guard;
	}

	/**
	 * Creates the circuit breaker the starter uses: count-based sliding window, server
	 * faults recorded as failures, other exceptions ignored.
	 * @param name the circuit breaker's name
	 * @param settings thresholds and cool-down
	 * @param clock the clock that times the cool-down
	 * @return a new circuit breaker, closed
	 */
	public static CircuitBreaker circuitBreaker(String name, Settings settings, Clock clock) {
		CircuitBreakerConfig config = CircuitBreakerConfig.custom()
			.slidingWindowType(SlidingWindowType.COUNT_BASED)
			.slidingWindowSize(settings.slidingWindowSize())
			.minimumNumberOfCalls(settings.minimumNumberOfCalls())
			.failureRateThreshold(settings.failureRateThreshold())
			.waitDurationInOpenState(settings.waitDurationInOpenState())
			.permittedNumberOfCallsInHalfOpenState(settings.permittedNumberOfCallsInHalfOpenState())
			.recordException(CircuitBreakerIntrospectionClient::isServerFault)
			.ignoreException((ex) -> !isServerFault(ex))
			.clock(clock)
			.build();
		return CircuitBreaker.of(name, config);
	}

	@Override
	public IntrospectedToken introspect(String token) {
		long start = this.guard.acquirePermission();
		IntrospectedToken result;
		try {
			result = this.delegate.introspect(token);
		}
		catch (RuntimeException ex) {
			this.guard.onError(start, ex);
			throw ex;
		}
		this.guard.onSuccess(start);
		return result;
	}

	static boolean isServerFault(Throwable ex) {
		return ex instanceof OAuth2IntrospectionException && !(ex instanceof BadOpaqueTokenException);
	}

	/**
	 * Circuit breaker settings.
	 *
	 * @param failureRateThreshold failure percentage over the sliding window that opens
	 * the circuit breaker
	 * @param slidingWindowSize number of most recent calls the failure rate is computed
	 * over
	 * @param minimumNumberOfCalls calls needed before the failure rate counts
	 * @param waitDurationInOpenState cool-down during which the server is not called
	 * @param permittedNumberOfCallsInHalfOpenState probe calls let through after the
	 * cool-down
	 */
	public record Settings(float failureRateThreshold, int slidingWindowSize, int minimumNumberOfCalls,
			Duration waitDurationInOpenState, int permittedNumberOfCallsInHalfOpenState) {

	}

}
