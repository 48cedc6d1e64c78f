package io.github.tokenintrospection.contract;

import java.util.EnumMap;
import java.util.Map;

/**
 * The notes API with one set of properties, started on each stack the first time a test
 * asks for it and kept for the test class, as a {@code @SpringBootTest} context would be.
 */
final class RunningStacks implements AutoCloseable {

	private final Map<String, Object> properties;

	private final Class<?>[] additionalConfigurations;

	private final Map<Stack, RunningStack> running = new EnumMap<>(Stack.class);

	RunningStacks(Map<String, Object> properties, Class<?>... additionalConfigurations) {
		this.properties = Map.copyOf(properties);
		this.additionalConfigurations = additionalConfigurations.clone();
	}

	synchronized RunningStack on(Stack stack) {
		return this.running.computeIfAbsent(stack, (key) -> key.start(this.properties, this.additionalConfigurations));
	}

	@Override
	public synchronized void close() {
		this.running.values().forEach(RunningStack::close);
		this.running.clear();
	}

}
