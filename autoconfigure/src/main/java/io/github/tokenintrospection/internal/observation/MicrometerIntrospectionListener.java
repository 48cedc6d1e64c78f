package io.github.tokenintrospection.internal.observation;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.tokenintrospection.internal.possession.Binding;
import io.github.tokenintrospection.observation.CacheStatus;
import io.github.tokenintrospection.observation.IntrospectionCall;
import io.github.tokenintrospection.observation.IntrospectionDecision;
import io.github.tokenintrospection.observation.IntrospectionListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.util.Assert;

/**
 * Records calls and decisions as Micrometer meters. Tags have few values by design: never
 * a token, subject or client id.
 * <ul>
 * <li>{@value #CALLS} (timer): {@code outcome} = active, inactive, error; {@code error} =
 * the failure's class name or none.</li>
 * <li>{@value #DECISIONS} (counter): {@code decision} = accepted, rejected, error;
 * {@code reason} = the first reason or none; {@code cache} = hit, miss, negative_hit,
 * stale, none; {@code path} = local (a JWT verified with the server's keys),
 * introspection; {@code server}; {@code proof} = the binding of the answer, so on an
 * accepted token the proof that was checked: none, dpop, certificate,
 * dpop+certificate.</li>
 * </ul>
 */
public final class MicrometerIntrospectionListener implements IntrospectionListener {

	/** Timer of calls to the introspection endpoint. */
	public static final String CALLS = "token.introspection.calls";

	/** Counter of decisions. */
	public static final String DECISIONS = "token.introspection.decisions";

	/** Built once: a decision is counted on every request. */
	private final Meter.MeterProvider<Counter> decisions;

	private final Meter.MeterProvider<Timer> calls;

	/** Found once per tag combination, not on every request: the lookup is not free. */
	private final Map<DecisionTags, Counter> decisionCounters = new ConcurrentHashMap<>();

	/**
	 * Creates the listener.
	 * @param registry the registry to record in
	 */
	public MicrometerIntrospectionListener(MeterRegistry registry) {
		Assert.notNull(registry, "registry must not be null");
		this.decisions = Counter.builder(DECISIONS)
			.description("Access decisions on bearer tokens")
			.withRegistry(registry);
		this.calls = Timer.builder(CALLS)
			.description("Calls to the authorization server's introspection endpoint")
			.withRegistry(registry);
	}

	@Override
	public void introspectionCalled(IntrospectionCall call) {
		this.calls.withTags("outcome", call.outcome().tagValue(), "error", call.error(), "server", call.server())
			.record(call.duration());
	}

	@Override
	public void decisionMade(IntrospectionDecision decision) {
		DecisionTags tags = new DecisionTags(decision.outcome(),
				decision.reasons().isEmpty() ? "none" : decision.reasons().get(0), decision.cacheStatus(),
				decision.path(), decision.server(), Binding.of(decision.token()));
		this.decisionCounters.computeIfAbsent(tags, this::counter).increment();
	}

	private Counter counter(DecisionTags tags) {
		return this.decisions.withTags("decision", tags.outcome().tagValue(), "reason", tags.reason(), "cache",
				tags.cacheStatus().tagValue(), "path", tags.path().tagValue(), "server", tags.server(), "proof",
				tags.proof().tagValue());
	}

	/** The few combinations a decision can have (reasons are codes, not messages). */
	private record DecisionTags(IntrospectionDecision.Outcome outcome, String reason, CacheStatus cacheStatus,
			IntrospectionDecision.Path path, String server, Binding proof) {
	}

}
