package io.github.tokenintrospection.internal.cache.shared;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;

/**
 * This instance's record of the evictions and clears it made or heard of, consulted by
 * loads (a load under way when its key was evicted does not share its result) and by
 * reads from Redis (a value stored before this instance's eviction of its key is not
 * served, whether or not the deletion reached Redis).
 * <p>
 * Bounded: an eviction is remembered for five minutes or the cache's TTL and the
 * tolerated clock difference, whichever is longer (by then Redis has dropped, or the
 * reader ignores, every value stored before it), and at most {@value #MOST_REMEMBERED} of
 * them. One forgotten early for lack of room raises the record's watermark instead, as a
 * clear would, so that it still counts.
 */
final class EvictionRecord {

	/** How long an eviction is remembered at least: far longer than any load takes. */
	private static final Duration LOADS_GUARDED = Duration.ofMinutes(5);

	static final int MOST_REMEMBERED = 100_000;

	private final Clock clock;

	/** Orders loads and evictions: a load notes the tick it started at. */
	private final AtomicLong ticks = new AtomicLong();

	private final Cache<String, Eviction> evictions;

	/** The latest clear, or eviction forgotten early, as a tick. */
	private final AtomicLong watermarkTick = new AtomicLong();

	/** The latest clear, or eviction forgotten early, in epoch seconds. */
	private final AtomicLong watermarkSecond = new AtomicLong(Long.MIN_VALUE);

	/**
	 * @param ttl the longest time a value lives in Redis
	 * @param clock the wall clock that evictions are timed with
	 */
	EvictionRecord(Duration ttl, Clock clock) {
		this.clock = clock;
		Duration storedValuesIgnored = ttl.plus(SharedEntrySerializer.CLOCK_SKEW).plusSeconds(1);
		this.evictions = Caffeine.newBuilder()
			.expireAfterWrite((storedValuesIgnored.compareTo(LOADS_GUARDED) > 0) ? storedValuesIgnored : LOADS_GUARDED)
			.maximumSize(MOST_REMEMBERED)
			.<String, Eviction>evictionListener((key, eviction, cause) -> {
				if (cause == RemovalCause.SIZE && eviction != null) {
					raiseWatermark(eviction);
				}
			})
			.build();
	}

	/**
	 * Returns the tick a load starting now notes.
	 * @return the current tick
	 */
	long loadStarts() {
		return this.ticks.get();
	}

	void evicted(String key) {
		this.evictions.put(key, now());
	}

	void cleared() {
		raiseWatermark(now());
	}

	/**
	 * Whether the key was evicted, or the cache cleared, after a load started.
	 */
	boolean evictedSince(String key, long loadStart) {
		if (this.watermarkTick.get() > loadStart) {
			return true;
		}
		Eviction eviction = this.evictions.getIfPresent(key);
		return eviction != null && eviction.tick() > loadStart;
	}

	/**
	 * Whether a value of the key stored in Redis at the given time may predate this
	 * instance's latest eviction of it. {@code stored} is whole seconds on the writer's
	 * clock, so a value stored in the eviction's own second, or up to the tolerated clock
	 * difference after it, counts as older too: at worst this instance introspects the
	 * token itself once more.
	 * @param storedEpochSecond when the value was stored, by the clock of the instance
	 * that stored it
	 */
	boolean storedBeforeEviction(String key, long storedEpochSecond) {
		long margin = SharedEntrySerializer.CLOCK_SKEW.toSeconds();
		if (storedEpochSecond <= this.watermarkSecond.get() + margin) {
			return true;
		}
		Eviction eviction = this.evictions.getIfPresent(key);
		return eviction != null && storedEpochSecond <= eviction.epochSecond() + margin;
	}

	private Eviction now() {
		return new Eviction(this.ticks.incrementAndGet(), this.clock.instant().getEpochSecond());
	}

	private void raiseWatermark(Eviction eviction) {
		this.watermarkTick.accumulateAndGet(eviction.tick(), Math::max);
		this.watermarkSecond.accumulateAndGet(eviction.epochSecond(), Math::max);
	}

	private record Eviction(long tick, long epochSecond) {
	}

}
