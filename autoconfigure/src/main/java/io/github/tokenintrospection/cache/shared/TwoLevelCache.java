package io.github.tokenintrospection.cache.shared;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import io.github.tokenintrospection.IntrospectedToken;
import io.github.tokenintrospection.cache.SharedCache;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.cache.Cache;
import org.springframework.cache.support.SimpleValueWrapper;
import org.springframework.util.Assert;

/**
 * The cache of active introspection results when several instances share Redis: each
 * instance's own in-process cache in front of one shared cache in Redis.
 * <p>
 * A local miss asks Redis before the loader (the authorization server), and a loaded result
 * is written to both. Redis can never fail a request: see {@link RedisAccess}. Only active
 * results whose {@code exp} is still ahead go to Redis, and a result read from Redis is
 * handed on only if it was stored under the same key and has not expired; its claims are
 * then validated like any other. Evicting a key or clearing the cache deletes from Redis and
 * tells every instance, through the {@link EvictionChannel}, to drop its local copy.
 * <p>
 * A load that was under way when its key was evicted (here or on another instance) or the
 * cache cleared does not write its result to Redis: that would undo the revocation for every
 * instance. Nor does this instance serve a value from Redis stored before its own eviction of
 * the key (see {@link EvictionRecord}): an eviction whose deletion did not reach Redis must
 * not come undone here. Such an eviction is kept and sent again, deletion and message, once
 * Redis answers (see {@link #sendPendingEvictions()}).
 */
public final class TwoLevelCache implements SharedCache {

	private static final Log logger = LogFactory.getLog(TwoLevelCache.class);

	private final Cache local;

	private final Cache shared;

	private final RedisAccess redis;

	private final EvictionChannel evictions;

	private final Clock clock;

	private final EvictionRecord evictionRecord;

	private final PendingEvictions pendingEvictions;

	/**
	 * Creates the cache and registers it with the eviction channel.
	 * @param local this instance's cache, whose entries should live shorter than the shared
	 * ones (it bounds how long a missed eviction message leaves a token cached here)
	 * @param shared the Redis cache, holding {@link SharedEntry} values
	 * @param redis runs the calls to Redis
	 * @param evictions tells the other instances of evictions
	 * @param ttl the longest time a value lives in Redis
	 * @param clock the wall clock that {@code exp} is compared with
	 */
	TwoLevelCache(Cache local, Cache shared, RedisAccess redis, EvictionChannel evictions, Duration ttl, Clock clock) {
		Assert.notNull(local, "local must not be null");
		Assert.notNull(shared, "shared must not be null");
		Assert.notNull(redis, "redis must not be null");
		Assert.notNull(evictions, "evictions must not be null");
		Assert.notNull(clock, "clock must not be null");
		this.local = local;
		this.shared = shared;
		this.redis = redis;
		this.evictions = evictions;
		this.clock = clock;
		this.evictionRecord = new EvictionRecord(ttl, clock);
		this.pendingEvictions = new PendingEvictions(ttl, clock);
		evictions.register(this);
	}

	@Override
	public String getName() {
		return this.local.getName();
	}

	/**
	 * Returns the local cache's native cache, which is what this instance can search and
	 * measure.
	 */
	@Override
	public Object getNativeCache() {
		return this.local.getNativeCache();
	}

	/**
	 * Returns this instance's own cache.
	 * @return the local cache
	 */
	@Override
	public Cache local() {
		return this.local;
	}

	@Override
	public @Nullable ValueWrapper get(Object key) {
		ValueWrapper cached = this.local.get(key);
		if (cached != null) {
			return cached;
		}
		IntrospectedToken token = this.redis.read("get", () -> readShared(key));
		if (token == null) {
			return null;
		}
		this.local.put(key, token);
		return new SimpleValueWrapper(token);
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T> @Nullable T get(Object key, @Nullable Class<T> type) {
		ValueWrapper wrapper = get(key);
		Object value = (wrapper != null) ? wrapper.get() : null;
		if (value != null && type != null && !type.isInstance(value)) {
			throw new IllegalStateException("Cached value is not of required type [" + type.getName() + "]: " + value);
		}
		return (T) value;
	}

	/**
	 * Runs the loader at most once per key at a time on this instance (the local cache's
	 * atomic get), and only when Redis has no result either.
	 */
	@Override
	@SuppressWarnings("unchecked")
	public <T> @Nullable T get(Object key, Callable<T> valueLoader) {
		return this.local.get(key, () -> {
			long loadStart = this.evictionRecord.loadStarts();
			IntrospectedToken token = this.redis.read("get", () -> readShared(key));
			if (token != null) {
				return (T) token;
			}
			T value = valueLoader.call();
			if (shareable(value) && !evictedSince(key, loadStart)) {
				this.redis.write("put", () -> shareLoaded(key, (IntrospectedToken) value, loadStart));
			}
			return value;
		});
	}

	@Override
	public CompletableFuture<?> retrieve(Object key) {
		ValueWrapper cached = this.local.get(key);
		if (cached != null) {
			return CompletableFuture.completedFuture(cached.get());
		}
		return this.redis.readAsync("get", () -> readShared(key)).thenApply((token) -> {
			if (token != null) {
				this.local.put(key, token);
			}
			return token;
		});
	}

	/**
	 * With a local cache in asynchronous mode, that cache runs the loader once per key; with a
	 * synchronous one, concurrent first calls may each load.
	 */
	@Override
	public <T> CompletableFuture<T> retrieve(Object key, Supplier<CompletableFuture<T>> valueLoader) {
		Supplier<CompletableFuture<T>> sharedThenLoad = () -> sharedThenLoad(key, valueLoader);
		try {
			return this.local.retrieve(key, sharedThenLoad);
		}
		catch (IllegalStateException | UnsupportedOperationException ex) {
			// A synchronous local cache: store the result in it ourselves.
			ValueWrapper cached = this.local.get(key);
			if (cached != null) {
				@SuppressWarnings("unchecked")
				T value = (T) cached.get();
				return CompletableFuture.completedFuture(value);
			}
			return sharedThenLoad.get().thenApply((value) -> {
				if (value != null) {
					this.local.put(key, value);
				}
				return value;
			});
		}
	}

	@SuppressWarnings("unchecked")
	private <T> CompletableFuture<T> sharedThenLoad(Object key, Supplier<CompletableFuture<T>> valueLoader) {
		long loadStart = this.evictionRecord.loadStarts();
		return this.redis.readAsync("get", () -> readShared(key)).thenCompose((token) -> {
			if (token != null) {
				return CompletableFuture.completedFuture((T) token);
			}
			return valueLoader.get().thenApply((value) -> {
				if (shareable(value) && !evictedSince(key, loadStart)) {
					this.redis.writeInBackground("put", () -> shareLoaded(key, (IntrospectedToken) value, loadStart));
				}
				return value;
			});
		});
	}

	@Override
	public void put(Object key, @Nullable Object value) {
		this.local.put(key, value);
		if (shareable(value)) {
			this.redis.write("put", () -> this.shared.put(key, new SharedEntry(key.toString(), (IntrospectedToken) value)));
		}
	}

	@Override
	public void evict(Object key) {
		evictEverywhere(key);
	}

	/**
	 * Deletes from Redis first, then tells the other instances, then drops the local copy,
	 * so that no instance reloads it from Redis in between. When Redis does not answer, the
	 * local copy is dropped all the same and the rest is sent again once Redis answers.
	 */
	@Override
	public boolean evictEverywhere(Object key) {
		String name = key.toString();
		this.evictionRecord.evicted(name);
		boolean reached = this.redis.writeNow("evict", () -> this.shared.evict(key))
				&& this.evictions.publishEvict(getName(), name);
		if (!reached) {
			this.pendingEvictions.addEviction(name);
			logger.warn("An eviction reached this instance only (Redis did not answer); it is sent to Redis and "
					+ "the other instances once Redis answers");
		}
		this.local.evict(key);
		return reached;
	}

	/**
	 * Drops this instance's copy only. The starter calls it to drop what a load left behind
	 * that is not an active result (an inactive answer, a failure), which never reaches
	 * Redis; a flood of inactive tokens must not become a flood of deletions and messages.
	 * {@link #evict(Object)} is the revocation.
	 */
	@Override
	public boolean evictIfPresent(Object key) {
		return this.local.evictIfPresent(key);
	}

	@Override
	public void clear() {
		clearEverywhere();
	}

	@Override
	public boolean clearEverywhere() {
		this.evictionRecord.cleared();
		boolean reached = this.redis.writeNow("clear", this.shared::clear) && this.evictions.publishClear(getName());
		if (!reached) {
			this.pendingEvictions.addClear();
			logger.warn("Clearing the cache reached this instance only (Redis did not answer); it is sent to Redis "
					+ "and the other instances once Redis answers");
		}
		this.local.clear();
		return reached;
	}

	void evictLocally(Object key) {
		this.evictionRecord.evicted(key.toString());
		this.local.evict(key);
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
				return TwoLevelCache.this.redis.writeAgain("clear", TwoLevelCache.this.shared::clear)
						&& TwoLevelCache.this.evictions.publishClearAgain(getName());
			}

			@Override
			public boolean evict(String key) {
				return TwoLevelCache.this.redis.writeAgain("evict", () -> TwoLevelCache.this.shared.evict(key))
						&& TwoLevelCache.this.evictions.publishEvictAgain(getName(), key);
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
	 * Writes a loaded result to Redis, on a Redis thread, unless its key was evicted since
	 * the load started. An eviction is noted before its deletion is sent, so one that comes
	 * while the value is being written is seen by the check after it, which deletes again.
	 */
	private void shareLoaded(Object key, IntrospectedToken token, long loadStart) {
		if (evictedSince(key, loadStart)) {
			return;
		}
		this.shared.put(key, new SharedEntry(key.toString(), token));
		if (evictedSince(key, loadStart)) {
			this.shared.evict(key);
		}
	}

	private boolean evictedSince(Object key, long loadStart) {
		return this.evictionRecord.evictedSince(key.toString(), loadStart);
	}

	private @Nullable IntrospectedToken readShared(Object key) {
		ValueWrapper wrapper = this.shared.get(key);
		if (wrapper == null || !(wrapper.get() instanceof SharedEntry entry)) {
			return null;
		}
		// A value moved to another key, or past its exp: not this token's current result.
		if (!entry.key().equals(key.toString()) || entry.token().isExpiredAt(this.clock.instant())) {
			return null;
		}
		// Stored before this instance evicted the key: the deletion may not have reached Redis.
		if (this.evictionRecord.storedBeforeEviction(entry.key(), entry.storedEpochSecond())) {
			return null;
		}
		return entry.token();
	}

	private boolean shareable(@Nullable Object value) {
		return value instanceof IntrospectedToken token && token.isActive() && !token.isExpiredAt(this.clock.instant());
	}

}
