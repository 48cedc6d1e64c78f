package io.github.tokenintrospection.autoconfigure;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import io.github.tokenintrospection.internal.cache.RefreshAhead;

/**
 * Where each server's refresh-ahead tells its outcomes: nobody until the meters are bound
 * (with Micrometer present), then each server's own meters. The pipelines are built
 * before the meter registry binds, so they hold a listener that looks the bound one up
 * when told.
 */
final class RefreshAheadListeners {

	private volatile Function<String, RefreshAhead.Listener> factory = (server) -> RefreshAhead.Listener.NONE;

	private final Map<String, RefreshAhead.Listener> bound = new ConcurrentHashMap<>();

	void bind(Function<String, RefreshAhead.Listener> factory) {
		this.factory = factory;
		this.bound.clear();
	}

	RefreshAhead.Listener forServer(String server) {
		return new RefreshAhead.Listener() {

			@Override
			public void refreshed(String outcome) {
				current(server).refreshed(outcome);
			}

			@Override
			public void served(Duration age) {
				current(server).served(age);
			}

		};
	}

	private RefreshAhead.Listener current(String server) {
		return this.bound.computeIfAbsent(server, this.factory);
	}

}
