package io.github.tokenintrospection.internal.possession;

import java.time.Duration;
import java.util.concurrent.ConcurrentMap;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;

/**
 * The proofs used through this instance, each kept for its window, at most a bounded
 * number: a flood of proofs evicts the oldest, whose window is nearest its end.
 */
public final class LocalProofReplays implements ProofReplays {

	private final ConcurrentMap<String, Duration> used;

	/**
	 * Creates the store.
	 * @param maximumSize the most proofs remembered
	 */
	public LocalProofReplays(long maximumSize) {
		Cache<String, Duration> cache = Caffeine.newBuilder()
			.maximumSize(maximumSize)
			.expireAfter(Expiry.creating((String key, Duration window) -> window))
			.build();
		this.used = cache.asMap();
	}

	@Override
	public boolean firstUse(String key, Duration window) {
		return this.used.putIfAbsent(key, window) == null;
	}

}
