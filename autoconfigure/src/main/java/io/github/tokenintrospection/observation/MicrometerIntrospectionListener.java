package io.github.tokenintrospection.observation;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.util.Assert;

/**
 * Records calls and decisions as Micrometer meters. Tags have few values by design: never a
 * token, subject or client id.
 * <ul>
 * <li>{@value #CALLS} (timer): {@code outcome} = active, inactive, error; {@code error} = the
 * failure's class name or none.</li>
 * <li>{@value #DECISIONS} (counter): {@code decision} = accepted, rejected, error;
 * {@code reason} = the first reason or none; {@code cache} = hit, miss, negative_hit, none.</li>
 * </ul>
 */
public final class MicrometerIntrospectionListener implements IntrospectionListener {

	/** Timer of calls to the introspection endpoint. */
	public static final String CALLS = "token.introspection.calls";

	/** Counter of decisions. */
	public static final String DECISIONS = "token.introspection.decisions";

	private final MeterRegistry registry;

	/**
	 * Creates the listener.
	 * @param registry the registry to record in
	 */
	public MicrometerIntrospectionListener(MeterRegistry registry) {
		Assert.notNull(registry, "registry must not be null");
		this.registry = registry;
	}

	@Override
	public void introspectionCalled(IntrospectionCall call) {
		Timer.builder(CALLS)
			.description("Calls to the authorization server's introspection endpoint")
			.tag("outcome", call.outcome().tagValue())
			.tag("error", call.error())
			.register(this.registry)
			.record(call.duration());
	}

	@Override
	public void decisionMade(IntrospectionDecision decision) {
		Counter.builder(DECISIONS)
			.description("Access decisions on bearer tokens")
			.tag("decision", decision.outcome().tagValue())
			.tag("reason", decision.reasons().isEmpty() ? "none" : decision.reasons().get(0))
			.tag("cache", decision.cacheStatus().tagValue())
			.register(this.registry)
			.increment();
	}

}
