package io.github.tokenintrospection.internal.cache;

import com.github.benmanes.caffeine.cache.Cache;
import io.github.tokenintrospection.internal.cache.shared.TwoLevelCache;

/**
 * The Caffeine cache behind one of the starter's own token caches (for a two-level cache,
 * its local one), for tests of its settings and contents.
 */
public final class CaffeineEntries {

	private CaffeineEntries() {
	}

	/**
	 * Returns the Caffeine cache behind a token cache.
	 * @param cache the starter's own cache, or a two-level cache
	 * @return the entries as Caffeine holds them
	 */
	public static Cache<String, Object> of(TokenCache cache) {
		TokenCache local = (cache instanceof TwoLevelCache twoLevel) ? twoLevel.local() : cache;
		return ((CaffeineTokenCache) local).caffeine();
	}

}
