package io.github.tokenintrospection.internal.cache;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.stats.ConcurrentStatsCounter;
import io.github.tokenintrospection.IntrospectedToken;
import org.jspecify.annotations.Nullable;

import org.springframework.cache.Cache;

/**
 * Builds the token caches: the starter's own Caffeine caches, or an adapter over a cache
 * of the application's {@code CacheManager}, all behind {@link TokenCache}.
 */
public final class IntrospectionCaches {

	/** Name of the starter's own cache of active tokens. */
	public static final String ACTIVE_CACHE_NAME = "token-introspection.active";

	/** Name of the starter's own cache of inactive tokens. */
	public static final String INACTIVE_CACHE_NAME = "token-introspection.inactive";

	private IntrospectionCaches() {
	}

	/**
	 * Creates the cache of active tokens, whose entries live {@code min(ttl, exp - now)}.
	 * <p>
	 * It is backed by Caffeine's {@code AsyncCache}, so that both
	 * {@link TokenCache#getOrLoad} (blocking callers) and
	 * {@link TokenCache#retrieveOrLoad} (reactive callers) share one call per token. A
	 * blocking caller's loader runs on its own thread, as with a synchronous cache, while
	 * Caffeine's upkeep runs in the background; a failed load is removed, never cached.
	 * @param ttl the longest time an entry lives
	 * @param maximumSize the most entries kept
	 * @param clock the wall clock that {@code exp} is compared with
	 * @return the cache
	 */
	public static TokenCache activeTokens(Duration ttl, long maximumSize, Clock clock) {
		return activeTokens(ACTIVE_CACHE_NAME, ttl, maximumSize, clock);
	}

	/**
	 * Creates a cache of active tokens under its own name (the cache of a named
	 * authorization server).
	 * @param name the cache's name, as its meters and the eviction channel know it
	 * @param ttl the longest time an entry lives
	 * @param maximumSize the most entries kept
	 * @param clock the wall clock that {@code exp} is compared with
	 * @return the cache
	 */
	public static TokenCache activeTokens(String name, Duration ttl, long maximumSize, Clock clock) {
		ConcurrentStatsCounter stats = new ConcurrentStatsCounter();
		Caffeine<Object, Object> builder = Caffeine.newBuilder()
			.maximumSize(maximumSize)
			.recordStats(() -> stats)
			.executor(IntrospectionCaches::loadOnCaller)
			// On every write, not only the first: an answer refreshed ahead of its end
			// (put over the entry) lives its own lifetime.
			.expireAfter(Expiry.writing((key, value) -> lifetime(ttl, value, clock)));
		return new CaffeineTokenCache(name, builder.buildAsync(), stats);
	}

	/**
	 * The active cache's executor. A blocking caller's load (Caffeine wraps it in a
	 * {@code CompletableFuture} task) runs on the caller's thread: a hop to the common
	 * pool would lose the request's observation context and, with its single thread on a
	 * two-core machine, serialize loads. Caffeine's own upkeep (draining its read
	 * buffers, evicting) stays in the background, as by default, instead of landing on a
	 * request.
	 */
	static void loadOnCaller(Runnable task) {
		if (task instanceof CompletableFuture.AsynchronousCompletionTask) {
			task.run();
		}
		else {
			ForkJoinPool.commonPool().execute(task);
		}
	}

	/**
	 * Creates the cache of inactive tokens.
	 * @param ttl how long a token is known to be inactive
	 * @param maximumSize the most entries kept
	 * @return the cache
	 */
	public static TokenCache inactiveTokens(Duration ttl, long maximumSize) {
		return inactiveTokens(INACTIVE_CACHE_NAME, ttl, maximumSize);
	}

	/**
	 * Creates a cache of inactive tokens under its own name.
	 * @param name the cache's name
	 * @param ttl how long a token is known to be inactive
	 * @param maximumSize the most entries kept
	 * @return the cache
	 */
	public static TokenCache inactiveTokens(String name, Duration ttl, long maximumSize) {
		ConcurrentStatsCounter stats = new ConcurrentStatsCounter();
		return new CaffeineTokenCache(name,
				Caffeine.newBuilder()
					.maximumSize(maximumSize)
					.expireAfterWrite(ttl)
					.recordStats(() -> stats)
					.buildAsync(),
				stats);
	}

	/**
	 * Adapts a cache of the application's {@code CacheManager} to hold active tokens.
	 * Only active results are written to it, as {@link IntrospectedToken}s (serializable,
	 * for a cache that serializes its values); inactive answers stay in the starter's own
	 * inactive cache, and callers waiting on one load share its outcome through the
	 * adapter, whatever the cache guarantees itself.
	 * @param cache the application's cache
	 * @return the cache of active tokens
	 */
	public static TokenCache applicationCache(Cache cache) {
		return new ApplicationTokenCache(cache);
	}

	/**
	 * Returns how long a cached value may live: {@code min(ttl, exp - now)}, zero once
	 * the token has expired, {@code ttl} for a token without {@code exp}, and zero for
	 * anything that is not an active token (a load's failure or inactive outcome, shared
	 * by its waiters but never kept).
	 * @param ttl the longest time an entry lives
	 * @param value the cached value (an {@link IntrospectedToken})
	 * @param clock the wall clock that {@code exp} is compared with
	 * @return the lifetime, never negative
	 */
	public static Duration lifetime(Duration ttl, @Nullable Object value, Clock clock) {
		if (!(value instanceof IntrospectedToken token) || !token.isActive()) {
			return Duration.ZERO;
		}
		Instant expiresAt = token.expiresAt();
		if (expiresAt == null) {
			return ttl;
		}
		Duration untilExpiry = Duration.between(clock.instant(), expiresAt);
		if (untilExpiry.isNegative()) {
			return Duration.ZERO;
		}
		return (untilExpiry.compareTo(ttl) < 0) ? untilExpiry : ttl;
	}

}
