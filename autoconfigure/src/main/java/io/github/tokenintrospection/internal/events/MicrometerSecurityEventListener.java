package io.github.tokenintrospection.internal.events;

import java.time.Duration;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The security event receiver's meters: {@value #EVENTS} (counter; {@code event},
 * {@code outcome}, {@code error}) and {@value #REVOCATION_LAG} (timer; {@code event}):
 * from an event's {@code iat} to the eviction it caused on this instance.
 */
public final class MicrometerSecurityEventListener implements SecurityEventReceiver.Listener {

	/** Counter of the events received. */
	public static final String EVENTS = "token.introspection.security.events";

	/** Timer from an event's issue to the eviction it caused here. */
	public static final String REVOCATION_LAG = "token.introspection.revocation.lag";

	private final MeterRegistry registry;

	/**
	 * Creates the meters.
	 * @param registry the registry
	 */
	public MicrometerSecurityEventListener(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void received(String event, String outcome, String error) {
		Counter.builder(EVENTS)
			.description("Security events received")
			.tags("event", event, "outcome", outcome, "error", error)
			.register(this.registry)
			.increment();
	}

	@Override
	public void evicted(String event, Duration lag) {
		Timer.builder(REVOCATION_LAG)
			.description("From a security event's issue to the eviction it caused on this instance")
			.tag("event", event)
			.register(this.registry)
			.record(lag);
	}

}
