package io.github.tokenintrospection.internal.cache;

import java.time.Clock;

/**
 * At most a number of permits per second, as a token bucket refilled continuously (its
 * burst is one second's worth).
 */
final class RefreshBudget {

	private final int perSecond;

	private final Clock clock;

	private double available;

	private long lastMillis;

	RefreshBudget(int perSecond, Clock clock) {
		this.perSecond = perSecond;
		this.clock = clock;
		this.available = perSecond;
		this.lastMillis = clock.millis();
	}

	synchronized boolean tryAcquire() {
		long now = this.clock.millis();
		long elapsed = Math.max(0, now - this.lastMillis);
		this.lastMillis = now;
		this.available = Math.min(this.perSecond, this.available + elapsed * this.perSecond / 1000.0);
		if (this.available < 1) {
			return false;
		}
		this.available--;
		return true;
	}

}
