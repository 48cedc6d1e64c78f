package io.github.tokenintrospection.internal.cache;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Refresh-ahead's meters, for one authorization server: {@value #REFRESHES} (counter;
 * {@code outcome} = done, inactive, failed, skipped_budget, skipped_breaker;
 * {@code server}) and {@value #ANSWER_AGE} (timer; {@code server}): how old the answers
 * served from the cache are.
 */
public final class MicrometerRefreshAheadListener implements RefreshAhead.Listener {

	/** Counter of refreshes, by outcome. */
	public static final String REFRESHES = "token.introspection.refreshes";

	/** Timer of the age of the answers served from the cache. */
	public static final String ANSWER_AGE = "token.introspection.answer.age";

	private final MeterRegistry registry;

	private final String server;

	private final Timer age;

	/** Found once per outcome rather than on every refresh. */
	private final Map<String, Counter> counters = new ConcurrentHashMap<>();

	/**
	 * Creates the meters of one server.
	 * @param registry the registry
	 * @param server the server's name
	 */
	public MicrometerRefreshAheadListener(MeterRegistry registry, String server) {
		this.registry = registry;
		this.server = server;
		this.age = Timer.builder(ANSWER_AGE)
			.description("Age of the answers served from the cache")
			.tag("server", server)
			.register(registry);
	}

	@Override
	public void refreshed(String outcome) {
		this.counters
			.computeIfAbsent(outcome,
					(key) -> Counter.builder(REFRESHES)
						.description("Refreshes ahead of an answer's end")
						.tags("outcome", key, "server", this.server)
						.register(this.registry))
			.increment();
	}

	@Override
	public void served(Duration age) {
		this.age.record(age);
	}

}
