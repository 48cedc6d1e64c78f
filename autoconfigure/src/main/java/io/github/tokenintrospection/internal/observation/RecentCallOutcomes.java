package io.github.tokenintrospection.internal.observation;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.tokenintrospection.observation.IntrospectionCall;
import io.github.tokenintrospection.observation.IntrospectionListener;
import org.jspecify.annotations.Nullable;

/**
 * Remembers how the latest calls to the authorization server went, for the health
 * indicator: no extra requests, no fake tokens.
 */
public final class RecentCallOutcomes implements IntrospectionListener {

	private final Clock clock;

	private volatile @Nullable Instant lastSuccess;

	private volatile @Nullable Instant lastFailure;

	private volatile @Nullable String lastError;

	private volatile int consecutiveFailures;

	/**
	 * Creates the tracker.
	 * @param clock the clock that time stamps outcomes
	 */
	public RecentCallOutcomes(Clock clock) {
		this.clock = clock;
	}

	@Override
	public synchronized void introspectionCalled(IntrospectionCall call) {
		if (call.outcome() == IntrospectionCall.Outcome.ERROR) {
			this.lastFailure = this.clock.instant();
			this.lastError = call.error();
			this.consecutiveFailures++;
		}
		else {
			this.lastSuccess = this.clock.instant();
			this.consecutiveFailures = 0;
		}
	}

	/**
	 * Whether the most recent call failed.
	 * @return {@code true} after a failure and until the next answered call
	 */
	public boolean isFailing() {
		return this.consecutiveFailures > 0;
	}

	/**
	 * Returns what is known, for health details.
	 * @return the details
	 */
	public synchronized Map<String, Object> details() {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("consecutiveFailures", this.consecutiveFailures);
		details.put("lastSuccess", (this.lastSuccess != null) ? this.lastSuccess.toString() : "none");
		details.put("lastFailure", (this.lastFailure != null) ? this.lastFailure.toString() : "none");
		if (this.lastError != null) {
			details.put("lastError", this.lastError);
		}
		return details;
	}

}
