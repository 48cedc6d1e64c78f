package io.github.tokenintrospection.internal.resilience;

import java.time.Duration;

import io.github.tokenintrospection.IntrospectedToken;
import io.github.tokenintrospection.client.AuthorizationServerUnavailableException;
import io.github.tokenintrospection.client.IntrospectionClient;

import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.util.Assert;

/**
 * Repeats an introspection that failed in a way a retry can fix (see
 * {@link AuthorizationServerUnavailableException#isRetryable()}), with exponential
 * backoff, a bounded number of retries and a total time budget, using Spring Framework's
 * {@link RetryTemplate}.
 * <p>
 * No retry starts once the budget would be exceeded by its backoff, so a request waits at
 * most about the budget plus one attempt's timeout. When all attempts fail, the last
 * failure is thrown unchanged.
 */
public final class RetryingIntrospectionClient implements IntrospectionClient {

	private final IntrospectionClient delegate;

	private final RetryTemplate retryTemplate;

	/**
	 * Creates a retrying client.
	 * @param delegate the client to retry
	 * @param settings how often and how long to retry
	 */
	public RetryingIntrospectionClient(IntrospectionClient delegate, Settings settings) {
		Assert.notNull(delegate, "delegate must not be null");
		Assert.notNull(settings, "settings must not be null");
		this.delegate = delegate;
		this.retryTemplate = new RetryTemplate(retryPolicy(settings));
	}

	/**
	 * The retry policy of both pipelines: which failures are retried, the backoff and the
	 * time budget. The reactive pipeline follows the same policy with Reactor's
	 * {@code retryWhen}.
	 * @param settings how often and how long to retry
	 * @return the policy
	 */
	public static RetryPolicy retryPolicy(Settings settings) {
		Assert.notNull(settings, "settings must not be null");
		return RetryPolicy.builder()
			.maxRetries(settings.maxRetries())
			.delay(settings.delay())
			.multiplier(settings.multiplier())
			.maxDelay(settings.maxDelay())
			.jitter(settings.jitter())
			.timeout(settings.timeBudget())
			.predicate(RetryingIntrospectionClient::isRetryable)
			.build();
	}

	@Override
	public IntrospectedToken introspect(String token) {
		return this.retryTemplate.invoke(() -> this.delegate.introspect(token));
	}

	private static boolean isRetryable(Throwable failure) {
		return failure instanceof AuthorizationServerUnavailableException unavailable && unavailable.isRetryable();
	}

	/**
	 * Retry settings.
	 *
	 * @param maxRetries most retries after the first attempt
	 * @param delay backoff before the first retry
	 * @param multiplier factor applied to the backoff after each retry
	 * @param maxDelay longest backoff
	 * @param jitter random variation added to or subtracted from each backoff, so that
	 * many instances do not retry in step
	 * @param timeBudget longest time spent on one introspection, retries included, after
	 * which no further attempt starts
	 */
	public record Settings(long maxRetries, Duration delay, double multiplier, Duration maxDelay, Duration jitter,
			Duration timeBudget) {

		/**
		 * Validates the settings.
		 */
		public Settings {
			Assert.isTrue(maxRetries > 0, "maxRetries must be positive");
			Assert.notNull(delay, "delay must not be null");
			Assert.isTrue(multiplier >= 1, "multiplier must be at least 1");
			Assert.notNull(maxDelay, "maxDelay must not be null");
			Assert.notNull(jitter, "jitter must not be null");
			Assert.isTrue(timeBudget != null && !timeBudget.isNegative() && !timeBudget.isZero(),
					"timeBudget must be positive");
		}

	}

}
