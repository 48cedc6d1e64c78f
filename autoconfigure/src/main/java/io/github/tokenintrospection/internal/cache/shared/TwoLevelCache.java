package io.github.tokenintrospection.internal.cache.shared;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import io.github.tokenintrospection.IntrospectedToken;
import io.github.tokenintrospection.internal.cache.TokenCache;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.cache.Cache.ValueWrapper;
import org.springframework.cache.Cache;
import org.springframework.util.Assert;

/**
 * The cache of active introspection results when several instances share Redis: each
 * instance's own in-process cache in front of one shared cache in Redis.
 * <p>
 * A local miss asks Redis before the loader (the authorization server), and a loaded
 * result is written to both. Redis can never fail a request: see {@link RedisAccess}.
 * Only active results whose {@code exp} is still ahead go to Redis, and a result read
 * from Redis is handed on only if it was stored under the same key and has not expired;
 * its claims are then validated like any other. Evicting a key or clearing the cache
 * deletes from Redis and tells every instance, through the {@link EvictionChannel}, to
 * drop its local copy.
 * <p>
 * A load that was under way when its key was evicted (here or on another instance) or the
 * cache cleared does not write its result to Redis: that would undo the revocation for
 * every instance. Nor does this instance serve a value from Redis stored before its own
 * eviction of the key (see {@link EvictionRecord}): an eviction whose deletion did not
 * reach Redis must not come undone here. Such an eviction is kept and sent again,
 * deletion and message, once Redis answers (see {@link #sendPendingEvictions()}).
 */
public final class TwoLevelCache implements TokenCache {

	private static final Log logger = LogFactory.getLog(TwoLevelCache.class);

	private final TokenCache local;

	private final Cache shared;

	private final SharedClaimIndex index;

	private final RedisAccess redis;

	private final EvictionChannel evictions;

	private final Clock clock;

	private final EvictionRecord evictionRecord;

	private final PendingEvictions pendingEvictions;

	/**
	 * Creates the cache and registers it with the eviction channel.
	 * @param local this instance's cache, whose entries should live shorter than the
	 * shared ones (it bounds how long a missed eviction message leaves a token cached
	 * here); it runs one load per key at a time
	 * @param shared the Redis cache, holding {@link SharedEntry} values
	 * @param index the index in Redis by user and session
	 * @param redis runs the calls to Redis
	 * @param evictions tells the other instances of evictions
	 * @param ttl the longest time a value lives in Redis
	 * @param clock the wall clock that {@code exp} is compared with
	 */
	TwoLevelCache(TokenCache local, Cache shared, SharedClaimIndex index, RedisAccess redis, EvictionChannel evictions,
			Duration ttl, Clock clock) {
		Assert.notNull(local, "local must not be null");
		Assert.notNull(shared, "shared must not be null");
		Assert.notNull(index, "index must not be null");
		Assert.notNull(redis, "redis must not be null");
		Assert.notNull(evictions, "evictions must not be null");
		Assert.notNull(clock, "clock must not be null");
		this.local = local;
		this.shared = shared;
		this.index = index;
		this.redis = redis;
		this.evictions = evictions;
		this.clock = clock;
		this.evictionRecord = new EvictionRecord(ttl, clock);
		this.pendingEvictions = new PendingEvictions(ttl, clock);
		evictions.register(this);
	}

	@Override
	public String name() {
		return this.local.name();
	}

	/**
	 * Returns this instance's own cache.
	 * @return the local cache
	 */
	public TokenCache local() {
		return this.local;
	}

	@Override
	public @Nullable IntrospectedToken get(String key) {
		IntrospectedToken cached = this.local.get(key);
		if (cached != null) {
			return cached;
		}
		IntrospectedToken token = this.redis.read("get", () -> readShared(key));
		if (token != null) {
			this.local.put(key, token);
		}
		return token;
	}

	/**
	 * Runs the loader at most once per key at a time on this instance (the local cache's
	 * single flight), and only when Redis has no result either.
	 */
	/** This instance's copy only: Redis is asked by the lookup that follows a miss. */
	@Override
	public @Nullable IntrospectedToken findHere(String key) {
		return this.local.findHere(key);
	}

	@Override
	public IntrospectedToken getOrLoad(String key, Supplier<IntrospectedToken> loader) {
		return this.local.getOrLoad(key, () -> {
			long loadStart = this.evictionRecord.loadStarts();
			IntrospectedToken token = this.redis.read("get", () -> readShared(key));
			if (token != null) {
				return token;
			}
			IntrospectedToken value = loader.get();
			if (shareable(value) && !evictedSince(key, loadStart)) {
				this.redis.write("put", () -> shareLoaded(key, value, loadStart));
			}
			return value;
		});
	}

	@Override
	public CompletableFuture<IntrospectedToken> retrieveOrLoad(String key,
			Supplier<CompletableFuture<IntrospectedToken>> loader) {
		return this.local.retrieveOrLoad(key, () -> sharedThenLoad(key, loader));
	}

	private CompletableFuture<IntrospectedToken> sharedThenLoad(String key,
			Supplier<CompletableFuture<IntrospectedToken>> loader) {
		long loadStart = this.evictionRecord.loadStarts();
		return this.redis.readAsync("get", () -> readShared(key)).thenCompose((token) -> {
			if (token != null) {
				return CompletableFuture.completedFuture(token);
			}
			return loader.get().thenApply((value) -> {
				if (shareable(value) && !evictedSince(key, loadStart)) {
					this.redis.writeInBackground("put", () -> shareLoaded(key, value, loadStart));
				}
				return value;
			});
		});
	}

	@Override
	public void put(String key, IntrospectedToken result) {
		this.local.put(key, result);
		if (shareable(result)) {
			this.redis.write("put", () -> {
				this.index.add(key, result);
				this.shared.put(key, new SharedEntry(key, result));
			});
		}
	}

	/**
	 * Replaces the local answer if it is still the one served, then writes the new one to
	 * Redis as a load would: not if the key was evicted (here, or by another instance's
	 * message) since the replacement began, and deleted again if that happens during the
	 * write.
	 */
	@Override
	public boolean replace(String key, IntrospectedToken served, IntrospectedToken fresh) {
		long start = this.evictionRecord.loadStarts();
		if (!this.local.replace(key, served, fresh)) {
			return false;
		}
		if (shareable(fresh)) {
			this.redis.write("put", () -> shareLoaded(key, fresh, start));
		}
		return true;
	}

	/**
	 * Deletes from Redis first, then tells the other instances, then drops the local
	 * copy, so that no instance reloads it from Redis in between. When Redis does not
	 * answer, the local copy is dropped all the same and the rest is sent again once
	 * Redis answers.
	 */
	@Override
	public boolean evict(String key) {
		this.evictionRecord.evicted(key);
		boolean reached = this.redis.writeNow("evict", () -> this.shared.evict(key))
				&& this.evictions.publishEvict(name(), key);
		if (!reached) {
			this.pendingEvictions.addEviction(key);
			logger.warn("An eviction reached this instance only (Redis did not answer); it is sent to Redis and "
					+ "the other instances once Redis answers");
		}
		this.local.evict(key);
		return reached;
	}

	/**
	 * Drops this instance's copy only. The starter calls it to drop a result past its
	 * {@code exp}; shared entries expire at {@code exp} themselves.
	 * {@link #evict(String)} is the revocation.
	 */
	@Override
	public boolean evictHere(String key) {
		return this.local.evictHere(key);
	}

	@Override
	public boolean clear() {
		this.evictionRecord.cleared();
		boolean reached = this.redis.writeNow("clear", this::clearShared) && this.evictions.publishClear(name());
		if (!reached) {
			this.pendingEvictions.addClear();
			logger.warn("Clearing the cache reached this instance only (Redis did not answer); it is sent to Redis "
					+ "and the other instances once Redis answers");
		}
		this.local.clear();
		return reached;
	}

	@Override
	public boolean isShared() {
		return true;
	}

	@Override
	public boolean containsHere(String key) {
		return this.local.containsHere(key);
	}

	/** What this instance holds: Redis is not searched. */
	@Override
	public List<String> keysStartingWith(String prefix) {
		return this.local.keysStartingWith(prefix);
	}

	/**
	 * What this instance holds and what Redis indexes: answers another instance loaded
	 * are found through Redis, and evicting their keys reaches every instance.
	 */
	@Override
	public ClaimMatches keysWithClaim(String claim, String value) {
		Set<String> keys = new LinkedHashSet<>(this.local.keysWithClaim(claim, value).keys());
		List<String> indexed = this.redis.read("index", () -> this.index.keys(claim, value));
		if (indexed != null) {
			keys.addAll(indexed);
		}
		return new ClaimMatches(List.copyOf(keys), indexed != null);
	}

	@Override
	public long estimatedSize() {
		return this.local.estimatedSize();
	}

	@Override
	public @Nullable Statistics statistics() {
		return this.local.statistics();
	}

	@Override
	public void bindMetrics(MeterRegistry registry) {
		this.local.bindMetrics(registry);
	}

	void evictLocally(String key) {
		this.evictionRecord.evicted(key);
		this.local.evict(key);
	}

	private void clearShared() {
		this.shared.clear();
		this.index.clear();
	}

	void clearLocally() {
		this.evictionRecord.cleared();
		this.local.clear();
	}

	/**
	 * Sends again the evictions and clears that did not reach Redis, unless Redis failed
	 * within its retry interval. Called periodically, off the request threads.
	 */
	void sendPendingEvictions() {
		if (this.pendingEvictions.isEmpty()) {
			return;
		}
		int sent = this.pendingEvictions.send(new PendingEvictions.Sender() {

			@Override
			public boolean clear() {
				return TwoLevelCache.this.redis.writeAgain("clear", TwoLevelCache.this::clearShared)
						&& TwoLevelCache.this.evictions.publishClearAgain(name());
			}

			@Override
			public boolean evict(String key) {
				return TwoLevelCache.this.redis.writeAgain("evict", () -> TwoLevelCache.this.shared.evict(key))
						&& TwoLevelCache.this.evictions.publishEvictAgain(name(), key);
			}

		});
		if (sent > 0) {
			logger.info(sent + " eviction(s) made while Redis did not answer reached Redis and the other instances"
					+ (this.pendingEvictions.isEmpty() ? "" : "; " + this.pendingEvictions.size() + " still wait"));
		}
	}

	/**
	 * Returns how many evictions and clears wait to be sent to Redis.
	 * @return the count
	 */
	int pendingEvictions() {
		return this.pendingEvictions.size();
	}

	/**
	 * Writes a loaded result to Redis, on a Redis thread, unless its key was evicted
	 * since the load started. An eviction is noted before its deletion is sent, so one
	 * that comes while the value is being written is seen by the check after it, which
	 * deletes again.
	 */
	private void shareLoaded(String key, IntrospectedToken token, long loadStart) {
		if (evictedSince(key, loadStart)) {
			return;
		}
		// Indexed first: an eviction by user between the two finds the entry.
		this.index.add(key, token);
		this.shared.put(key, new SharedEntry(key, token));
		if (evictedSince(key, loadStart)) {
			this.shared.evict(key);
		}
	}

	private boolean evictedSince(String key, long loadStart) {
		return this.evictionRecord.evictedSince(key, loadStart);
	}

	private @Nullable IntrospectedToken readShared(String key) {
		ValueWrapper wrapper = this.shared.get(key);
		if (wrapper == null || !(wrapper.get() instanceof SharedEntry entry)) {
			return null;
		}
		// A value moved to another key, or past its exp: not this token's current result.
		if (!entry.key().equals(key) || entry.token().isExpiredAt(this.clock.instant())) {
			return null;
		}
		// Stored before this instance evicted the key: the deletion may not have reached
		// Redis.
		if (this.evictionRecord.storedBeforeEviction(entry.key(), entry.storedEpochSecond())) {
			return null;
		}
		return entry.token();
	}

	private boolean shareable(IntrospectedToken token) {
		return token.isActive() && !token.isExpiredAt(this.clock.instant());
	}

}
