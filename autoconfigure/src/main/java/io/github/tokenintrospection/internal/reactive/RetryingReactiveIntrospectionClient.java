package io.github.tokenintrospection.internal.reactive;

import java.time.Duration;

import io.github.tokenintrospection.IntrospectedToken;
import io.github.tokenintrospection.internal.resilience.RetryingIntrospectionClient;
import io.github.tokenintrospection.reactive.ReactiveIntrospectionClient;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

import org.springframework.core.retry.RetryPolicy;
import org.springframework.util.Assert;
import org.springframework.util.backoff.BackOffExecution;

/**
 * Repeats an introspection that failed in a way a retry can fix, following the very
 * {@link RetryPolicy} of the blocking pipeline
 * ({@link RetryingIntrospectionClient#retryPolicy}): the same retryable failures, backoff
 * with jitter, number of retries and time budget. The backoff is a timer
 * ({@code Mono.delay}), not a sleeping thread. When all attempts fail, the last failure
 * is passed on unchanged.
 */
public final class RetryingReactiveIntrospectionClient implements ReactiveIntrospectionClient {

	private final ReactiveIntrospectionClient delegate;

	private final RetryPolicy policy;

	/**
	 * Creates a retrying client.
	 * @param delegate the client to retry
	 * @param settings how often and how long to retry
	 */
	public RetryingReactiveIntrospectionClient(ReactiveIntrospectionClient delegate,
			RetryingIntrospectionClient.Settings settings) {
		Assert.notNull(delegate, "delegate must not be null");
		this.delegate = delegate;
		this.policy = RetryingIntrospectionClient.retryPolicy(settings);
	}

	@Override
	public Mono<IntrospectedToken> introspect(String token) {
		return Mono.defer(() -> {
			long start = System.nanoTime();
			BackOffExecution backOff = this.policy.getBackOff().start();
			return this.delegate.introspect(token).retryWhen(Retry.from((signals) -> signals.concatMap((signal) -> {
				Throwable failure = signal.failure();
				long delay = this.policy.shouldRetry(failure) ? backOff.nextBackOff() : BackOffExecution.STOP;
				if (delay == BackOffExecution.STOP || overBudget(start, delay)) {
					return Mono.error(failure);
				}
				return Mono.delay(Duration.ofMillis(delay));
			})));
		});
	}

	/** No retry starts whose backoff would end after the time budget. */
	private boolean overBudget(long start, long delayMillis) {
		Duration budget = this.policy.getTimeout();
		if (budget == null || budget.isZero()) {
			return false;
		}
		Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
		return elapsed.plusMillis(delayMillis).compareTo(budget) > 0;
	}

}
