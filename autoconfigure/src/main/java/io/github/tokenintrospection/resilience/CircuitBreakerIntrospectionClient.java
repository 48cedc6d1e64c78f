package io.github.tokenintrospection.resilience;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import io.github.resilience4j.circuitbreaker.event.CircuitBreakerOnStateTransitionEvent;
import io.github.tokenintrospection.IntrospectedToken;
import io.github.tokenintrospection.client.IntrospectionClient;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

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

	private static final Log logger = LogFactory.getLog(CircuitBreakerIntrospectionClient.class);

	private final IntrospectionClient delegate;

	private final CircuitBreaker circuitBreaker;

	private volatile Instant openUntil = Instant.MIN;

	/**
	 * Creates a client guarded by a circuit breaker.
	 * @param delegate the client that calls the authorization server
	 * @param circuitBreaker the circuit breaker, usually from
	 * {@link #circuitBreaker(String, Settings, Clock)}
	 */
	public CircuitBreakerIntrospectionClient(IntrospectionClient delegate, CircuitBreaker circuitBreaker) {
		Assert.notNull(delegate, "delegate must not be null");
		Assert.notNull(circuitBreaker, "circuitBreaker must not be null");
		this.delegate = delegate;
		this.circuitBreaker = circuitBreaker;
		circuitBreaker.getEventPublisher().onStateTransition(this::onStateTransition);
	}

	/**
	 * Creates the circuit breaker the starter uses: count-based sliding window, server faults
	 * recorded as failures, other exceptions ignored.
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
		try {
			return this.circuitBreaker.executeSupplier(() -> this.delegate.introspect(token));
		}
		catch (CallNotPermittedException ex) {
			throw new CircuitOpenException(timeLeftOpen());
		}
	}

	private Duration timeLeftOpen() {
		if (this.circuitBreaker.getState() != CircuitBreaker.State.OPEN) {
			// Half-open with every probe slot taken: no estimate.
			return null;
		}
		Duration left = Duration.between(now(), this.openUntil);
		return left.isNegative() ? null : left;
	}

	private void onStateTransition(CircuitBreakerOnStateTransitionEvent event) {
		CircuitBreaker.State to = event.getStateTransition().getToState();
		if (to == CircuitBreaker.State.OPEN) {
			long waitMillis = this.circuitBreaker.getCircuitBreakerConfig()
				.getWaitIntervalFunctionInOpenState()
				.apply(1);
			this.openUntil = now().plusMillis(waitMillis);
			logger.warn("Authorization server failing (failure rate "
					+ this.circuitBreaker.getMetrics().getFailureRate() + "%): not calling it for " + waitMillis
					+ " ms; introspection of uncached tokens answers 503 meanwhile");
		}
		else if (to == CircuitBreaker.State.HALF_OPEN) {
			logger.info("Probing the authorization server after its cool-down");
		}
		else if (to == CircuitBreaker.State.CLOSED) {
			logger.info("Authorization server answering again: circuit breaker closed");
		}
		else {
			logger.debug("Authorization server circuit breaker now " + to);
		}
	}

	private Instant now() {
		return this.circuitBreaker.getCircuitBreakerConfig().getClock().instant();
	}

	static boolean isServerFault(Throwable ex) {
		return ex instanceof OAuth2IntrospectionException && !(ex instanceof BadOpaqueTokenException);
	}

	/**
	 * Circuit breaker settings.
	 *
	 * @param failureRateThreshold failure percentage over the sliding window that opens the
	 * circuit breaker
	 * @param slidingWindowSize number of most recent calls the failure rate is computed over
	 * @param minimumNumberOfCalls calls needed before the failure rate counts
	 * @param waitDurationInOpenState cool-down during which the server is not called
	 * @param permittedNumberOfCallsInHalfOpenState probe calls let through after the
	 * cool-down
	 */
	public record Settings(float failureRateThreshold, int slidingWindowSize, int minimumNumberOfCalls,
			Duration waitDurationInOpenState, int permittedNumberOfCallsInHalfOpenState) {

	}

}
