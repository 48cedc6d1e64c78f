package io.github.tokenintrospection.internal.resilience;

import java.time.Duration;
import java.time.Instant;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.event.CircuitBreakerOnStateTransitionEvent;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * The circuit breaker's rules for one call to the authorization server, in the form both
 * pipelines can use: ask for permission before the call (or fail fast with
 * {@link CircuitOpenException} and the time left as {@code Retry-After}), then report its
 * outcome. The blocking client reports on its thread, the reactive one when its call
 * completes; neither waits here. Also logs the breaker's state changes.
 */
public final class CircuitBreakerGuard {

	private static final Log logger = LogFactory.getLog(CircuitBreakerIntrospectionClient.class);

	private final CircuitBreaker circuitBreaker;

	private volatile Instant openUntil = Instant.MIN;

	/**
	 * Creates a guard and subscribes to the breaker's state changes, to log them.
	 * @param circuitBreaker the circuit breaker, usually from
	 * {@link CircuitBreakerIntrospectionClient#circuitBreaker}
	 */
	public CircuitBreakerGuard(CircuitBreaker circuitBreaker) {
		Assert.notNull(circuitBreaker, "circuitBreaker must not be null");
		this.circuitBreaker = circuitBreaker;
		circuitBreaker.getEventPublisher().onStateTransition(this::onStateTransition);
	}

	/**
	 * Asks for permission to call the server.
	 * @return the start of the call, to pass to {@link #onSuccess} or {@link #onError}
	 * @throws CircuitOpenException when the breaker does not permit the call
	 */
	public long acquirePermission() {
		if (!this.circuitBreaker.tryAcquirePermission()) {
			throw new CircuitOpenException(timeLeftOpen());
		}
		return this.circuitBreaker.getCurrentTimestamp();
	}

	/**
	 * Reports an answer (active or not) as a success.
	 * @param start what {@link #acquirePermission()} returned
	 */
	public void onSuccess(long start) {
		this.circuitBreaker.onSuccess(this.circuitBreaker.getCurrentTimestamp() - start,
				this.circuitBreaker.getTimestampUnit());
	}

	/**
	 * Reports a failure; only server faults count against the server.
	 * @param start what {@link #acquirePermission()} returned
	 * @param failure the failure
	 */
	public void onError(long start, Throwable failure) {
		this.circuitBreaker.onError(this.circuitBreaker.getCurrentTimestamp() - start,
				this.circuitBreaker.getTimestampUnit(), failure);
	}

	/**
	 * Gives a permission back without an outcome: the call was cancelled.
	 */
	public void releasePermission() {
		this.circuitBreaker.releasePermission();
	}

	private @Nullable Duration timeLeftOpen() {
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

	/**
	 * Whether the breaker refuses calls now (open or forced open), without taking a
	 * permission: for work that can wait, such as a refresh ahead of an answer's end.
	 * @return {@code true} when calls are refused
	 */
	public boolean isOpen() {
		CircuitBreaker.State state = this.circuitBreaker.getState();
		return state == CircuitBreaker.State.OPEN || state == CircuitBreaker.State.FORCED_OPEN;
	}

}
