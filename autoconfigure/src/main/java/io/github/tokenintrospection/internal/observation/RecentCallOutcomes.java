package io.github.tokenintrospection.internal.observation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.tokenintrospection.observation.IntrospectionCall;
import io.github.tokenintrospection.observation.IntrospectionDecision;
import io.github.tokenintrospection.observation.IntrospectionListener;
import org.jspecify.annotations.Nullable;

/**
 * Remembers how the latest calls to the authorization server went, and the health probes
 * sent while they failed, for the health indicator.
 */
public final class RecentCallOutcomes implements IntrospectionListener {

	private final Clock clock;

	private final String server;

	private @Nullable Instant lastSuccess;

	private @Nullable Instant lastFailure;

	private @Nullable Instant failingSince;

	private @Nullable String lastError;

	private @Nullable Instant lastProbe;

	private int consecutiveFailures;

	/**
	 * Creates the tracker of the default authorization server.
	 * @param clock the clock that time stamps outcomes
	 */
	public RecentCallOutcomes(Clock clock) {
		this(clock, IntrospectionDecision.DEFAULT_SERVER);
	}

	/**
	 * Creates the tracker of one authorization server; calls to others are not its
	 * concern.
	 * @param clock the clock that time stamps outcomes
	 * @param server the server's name
	 */
	public RecentCallOutcomes(Clock clock, String server) {
		this.clock = clock;
		this.server = server;
	}

	@Override
	public void introspectionCalled(IntrospectionCall call) {
		if (!this.server.equals(call.server())) {
			return;
		}
		if (call.outcome() == IntrospectionCall.Outcome.ERROR) {
			failed(call.reason());
		}
		else {
			answered();
		}
	}

	/** Records that the server answered (a call, or a probe). */
	public synchronized void answered() {
		this.lastSuccess = this.clock.instant();
		this.consecutiveFailures = 0;
		this.failingSince = null;
	}

	/**
	 * Records that the server gave no usable answer.
	 * @param reason why, naming no token and no secret
	 */
	public synchronized void failed(String reason) {
		Instant now = this.clock.instant();
		this.lastFailure = now;
		this.lastError = reason;
		if (this.consecutiveFailures++ == 0) {
			this.failingSince = now;
		}
	}

	/**
	 * Whether the most recent call failed.
	 * @return {@code true} after a failure and until the next answered call or probe
	 */
	public synchronized boolean isFailing() {
		return this.consecutiveFailures > 0;
	}

	/**
	 * Claims the right to probe the server, at most once per interval.
	 * @param interval the least time between two probes
	 * @return whether the caller should probe now
	 */
	public synchronized boolean claimProbe(Duration interval) {
		Instant now = this.clock.instant();
		if (this.lastProbe != null && now.isBefore(this.lastProbe.plus(interval))) {
			return false;
		}
		this.lastProbe = now;
		return true;
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
		if (this.failingSince != null) {
			details.put("failingSince", this.failingSince.toString());
		}
		if (this.lastError != null) {
			details.put("lastError", this.lastError);
		}
		if (this.lastProbe != null) {
			details.put("lastProbe", this.lastProbe.toString());
		}
		return details;
	}

}
