package io.github.tokenintrospection.internal.cache;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import io.github.tokenintrospection.cache.CacheEviction;
import io.github.tokenintrospection.cache.IntrospectionCacheControl;
import io.github.tokenintrospection.observation.IntrospectionDecision;

/**
 * The caches of several authorization servers as one: an eviction reaches every server's
 * caches (a revoked token is gone whichever server answered for it); statistics are given
 * per server, the default server's under their usual names.
 */
public final class ServersCacheControl implements IntrospectionCacheControl {

	private final Map<String, IntrospectionCacheControl> servers;

	/**
	 * Combines the servers' caches.
	 * @param servers each server's cache control by the server's name
	 */
	public ServersCacheControl(Map<String, IntrospectionCacheControl> servers) {
		this.servers = new LinkedHashMap<>(servers);
	}

	@Override
	public CacheEviction evict(String token) {
		return everywhere((control) -> control.evict(token));
	}

	@Override
	public CacheEviction evictByFingerprint(String fingerprint) {
		return everywhere((control) -> control.evictByFingerprint(fingerprint));
	}

	@Override
	public CacheEviction evictSubject(String subject) {
		return everywhere((control) -> control.evictSubject(subject));
	}

	@Override
	public CacheEviction evictSession(String sessionId) {
		return everywhere((control) -> control.evictSession(sessionId));
	}

	@Override
	public CacheEviction evictAll() {
		return everywhere(IntrospectionCacheControl::evictAll);
	}

	@Override
	public Map<String, Map<String, Object>> statistics() {
		Map<String, Map<String, Object>> statistics = new LinkedHashMap<>();
		this.servers.forEach((server, control) -> control.statistics()
			.forEach((cache, values) -> statistics
				.put(IntrospectionDecision.DEFAULT_SERVER.equals(server) ? cache : server + "." + cache, values)));
		return statistics;
	}

	/** The evictions summed; all instances reached only when every server's were. */
	private CacheEviction everywhere(Function<IntrospectionCacheControl, CacheEviction> eviction) {
		int evicted = 0;
		CacheEviction notEverywhere = null;
		for (IntrospectionCacheControl control : this.servers.values()) {
			CacheEviction result = eviction.apply(control);
			evicted += result.evicted();
			if (!result.reachedAllInstances() && notEverywhere == null) {
				notEverywhere = result;
			}
		}
		return (notEverywhere != null)
				? new CacheEviction(evicted, CacheEviction.Scope.THIS_INSTANCE_ONLY, notEverywhere.reason())
				: new CacheEviction(evicted, CacheEviction.Scope.ALL_INSTANCES, null);
	}

}
