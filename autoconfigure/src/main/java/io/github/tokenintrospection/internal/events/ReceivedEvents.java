package io.github.tokenintrospection.internal.events;

import java.time.Duration;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * The {@code jti}s this instance received within the accepted window, so that a SET
 * delivered again (transmitters deliver at least once, and retry) is acknowledged without
 * acting twice. Bounded: when full, the oldest are forgotten, which costs at most a
 * repeated eviction (evicting is never unsafe).
 */
final class ReceivedEvents {

	private final Cache<String, Boolean> seen;

	ReceivedEvents(Duration window, long maxEvents) {
		this.seen = Caffeine.newBuilder().expireAfterWrite(window).maximumSize(maxEvents).build();
	}

	/** Forgets a SET that could not be acted on, so that its redelivery is. */
	void forget(String issuer, String jti) {
		this.seen.invalidate(issuer + " " + jti);
	}

	/** Whether this is the first delivery of the SET; records it. */
	boolean firstDelivery(String issuer, String jti) {
		return this.seen.asMap().putIfAbsent(issuer + " " + jti, Boolean.TRUE) == null;
	}

}
