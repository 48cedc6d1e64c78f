package io.github.tokenintrospection.internal.cache.shared;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The evictions and clears of this instance that did not reach Redis (the deletion or the
 * message to the other instances failed), kept until they are sent again successfully.
 * <p>
 * One is dropped unsent only once it no longer matters: {@code cache.ttl} and the
 * tolerated clock difference after it, every value stored in Redis before it has run out
 * or is ignored, and so has every other instance's local copy. Past
 * {@value EvictionRecord#MOST_REMEMBERED} pending evictions, they are replaced by one
 * pending clear, which covers them all.
 */
final class PendingEvictions {

	private static final Log logger = LogFactory.getLog(PendingEvictions.class);

	private final Map<String, Instant> keys = new ConcurrentHashMap<>();

	private final AtomicReference<@Nullable Instant> clear = new AtomicReference<>();

	private final Duration relevance;

	private final Clock clock;

	/**
	 * @param ttl the longest time a value lives in Redis
	 * @param clock the wall clock
	 */
	PendingEvictions(Duration ttl, Clock clock) {
		this.relevance = ttl.plus(SharedEntrySerializer.CLOCK_SKEW);
		this.clock = clock;
	}

	boolean isEmpty() {
		return this.clear.get() == null && this.keys.isEmpty();
	}

	int size() {
		return this.keys.size() + ((this.clear.get() != null) ? 1 : 0);
	}

	void addEviction(String key) {
		if (this.keys.size() >= EvictionRecord.MOST_REMEMBERED) {
			logger.warn("More than " + EvictionRecord.MOST_REMEMBERED
					+ " evictions wait for Redis: they are replaced by clearing the whole shared cache once it answers");
			addClear();
			return;
		}
		this.keys.put(key, this.clock.instant());
	}

	/** A clear covers every eviction made before it. */
	void addClear() {
		this.clear.set(this.clock.instant());
		this.keys.clear();
	}

	/**
	 * Sends what is pending: the clear first, then each eviction, stopping at the first
	 * that fails again. Each one sent is forgotten, unless it was made again meanwhile.
	 * @param sender sends one clear or eviction (deletion and message), telling whether
	 * it got through
	 * @return how many were sent
	 */
	int send(Sender sender) {
		dropIrrelevant();
		int sent = 0;
		Instant pendingClear = this.clear.get();
		if (pendingClear != null) {
			if (!sender.clear()) {
				return sent;
			}
			this.clear.compareAndSet(pendingClear, null);
			sent++;
		}
		for (Map.Entry<String, Instant> pending : this.keys.entrySet()) {
			if (!sender.evict(pending.getKey())) {
				return sent;
			}
			this.keys.remove(pending.getKey(), pending.getValue());
			sent++;
		}
		return sent;
	}

	private void dropIrrelevant() {
		Instant oldestRelevant = this.clock.instant().minus(this.relevance);
		this.clear.getAndUpdate((made) -> (made != null && made.isBefore(oldestRelevant)) ? null : made);
		this.keys.values().removeIf((made) -> made.isBefore(oldestRelevant));
	}

	/**
	 * Sends one pending clear or eviction to Redis and the other instances.
	 */
	interface Sender {

		boolean clear();

		boolean evict(String key);

	}

}
