package io.github.tokenintrospection.internal.possession;

import java.time.Duration;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;

/**
 * The proofs used through this instance, each kept for its window. Bounded without ever
 * forgetting a proof early: when the record is full of proofs whose windows are still
 * open, a new proof is refused (a flood of proofs cannot push a captured one out of the
 * record to replay it).
 */
public final class LocalProofReplays implements ProofReplays {

	private final Cache<String, Duration> used;

	private final long maximumSize;

	/**
	 * Creates the store.
	 * @param maximumSize the most proofs remembered at once
	 */
	public LocalProofReplays(long maximumSize) {
		// No size-based eviction: entries leave when their window closes, never before.
		this.used = Caffeine.newBuilder().expireAfter(Expiry.creating((String key, Duration window) -> window)).build();
		this.maximumSize = maximumSize;
	}

	@Override
	public boolean firstUse(String key, Duration window) {
		if (this.used.estimatedSize() >= this.maximumSize) {
			// The estimate counts entries past their window until they are cleaned up.
			this.used.cleanUp();
			if (this.used.estimatedSize() >= this.maximumSize) {
				return false;
			}
		}
		return this.used.asMap().putIfAbsent(key, window) == null;
	}

}
