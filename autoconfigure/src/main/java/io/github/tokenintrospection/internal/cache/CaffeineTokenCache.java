package io.github.tokenintrospection.internal.cache;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import com.github.benmanes.caffeine.cache.stats.StatsCounter;
import io.github.tokenintrospection.IntrospectedToken;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * The starter's own cache, on Caffeine's {@link AsyncCache}: blocking callers
 * ({@link #getOrLoad}) and reactive ones ({@link #retrieveOrLoad}) share one load per
 * key.
 * <p>
 * A load never fails inside Caffeine: its outcome is the result, or a {@link Failed}
 * value that the waiting callers share and that is dropped at once (Caffeine logs every
 * failed asynchronous load at WARN; inactive tokens and outages are not warnings, and are
 * logged elsewhere). Only active results outlive their load: the cache's expiry gives
 * anything else no lifetime (see {@link IntrospectionCaches#lifetime}), and it is removed
 * as well.
 */
final class CaffeineTokenCache implements TokenCache {

	private final String name;

	private final AsyncCache<String, Object> cache;

	/** The synchronous view of the same entries. */
	private final Cache<String, Object> entries;

	/**
	 * The cache's own statistics, so that a hit found without Caffeine's count counts.
	 */
	private final StatsCounter stats;

	CaffeineTokenCache(String name, AsyncCache<String, Object> cache, StatsCounter stats) {
		Assert.hasText(name, "name must not be empty");
		Assert.notNull(cache, "cache must not be null");
		Assert.notNull(stats, "stats must not be null");
		this.name = name;
		this.cache = cache;
		this.entries = cache.synchronous();
		this.stats = stats;
	}

	@Override
	public String name() {
		return this.name;
	}

	@Override
	public @Nullable IntrospectedToken get(String key) {
		return (this.entries.getIfPresent(key) instanceof IntrospectedToken token) ? token : null;
	}

	/**
	 * A read of the map, which counts for the eviction policy but not in the statistics:
	 * nothing is allocated, and a miss is counted once, by the lookup that follows.
	 */
	@Override
	public @Nullable IntrospectedToken findHere(String key) {
		CompletableFuture<Object> entry = this.cache.asMap().get(key);
		if (entry != null && entry.isDone() && !entry.isCompletedExceptionally()
				&& entry.getNow(null) instanceof IntrospectedToken token && token.isActive()) {
			this.stats.recordHits(1);
			return token;
		}
		return null;
	}

	@Override
	public void put(String key, IntrospectedToken result) {
		this.entries.put(key, result);
	}

	/**
	 * The caller that finds no entry puts an empty future in, then runs the loader on its
	 * own thread outside Caffeine's computation: the callers that come meanwhile find the
	 * future and wait for its outcome, whatever it is. (A load run inside the computation
	 * would keep them waiting on the entry's lock instead, and then find an inactive
	 * outcome or a failure already expired, and load again.)
	 */
	@Override
	public IntrospectedToken getOrLoad(String key, Supplier<IntrospectedToken> loader) {
		CompletableFuture<Object> created = new CompletableFuture<>();
		CompletableFuture<Object> load = this.cache.get(key, (k, executor) -> created);
		if (load == created) {
			try {
				created.complete(outcome(loader));
			}
			catch (Error ex) {
				created.completeExceptionally(ex);
				throw ex;
			}
		}
		return resolve(key, load, load.join());
	}

	@Override
	public CompletableFuture<IntrospectedToken> retrieveOrLoad(String key,
			Supplier<CompletableFuture<IntrospectedToken>> loader) {
		CompletableFuture<Object> load = this.cache.get(key, (k, executor) -> outcomeLater(loader));
		return load.thenApply((value) -> resolve(key, load, value));
	}

	/** Atomic against an eviction of the key: both go through the entry's lock. */
	@Override
	public boolean replace(String key, IntrospectedToken served, IntrospectedToken fresh) {
		boolean[] replaced = new boolean[1];
		this.cache.asMap().computeIfPresent(key, (ignored, current) -> {
			if (current.isDone() && !current.isCompletedExceptionally() && current.join() == served) {
				replaced[0] = true;
				return CompletableFuture.completedFuture(fresh);
			}
			return current;
		});
		return replaced[0];
	}

	@Override
	public boolean evictHere(String key) {
		return this.entries.asMap().remove(key) != null;
	}

	@Override
	public boolean evict(String key) {
		this.entries.invalidate(key);
		return false;
	}

	@Override
	public boolean clear() {
		this.entries.invalidateAll();
		return false;
	}

	@Override
	public boolean containsHere(String key) {
		return this.entries.asMap().containsKey(key);
	}

	@Override
	public List<String> keysStartingWith(String prefix) {
		return this.entries.asMap().keySet().stream().filter((key) -> key.startsWith(prefix)).toList();
	}

	@Override
	public ClaimMatches keysWithClaim(String claim, String value) {
		return ClaimMatches.here(this.entries.asMap()
			.entrySet()
			.stream()
			.filter((entry) -> TokenCache.hasClaim(entry.getValue(), claim, value))
			.map(Map.Entry::getKey)
			.toList());
	}

	@Override
	public long estimatedSize() {
		return this.entries.estimatedSize();
	}

	@Override
	public Statistics statistics() {
		CacheStats stats = this.entries.stats();
		return new Statistics(this.entries.estimatedSize(), stats.hitCount(), stats.missCount(), stats.evictionCount());
	}

	@Override
	public void bindMetrics(MeterRegistry registry) {
		CaffeineCacheMetrics.monitor(registry, this.entries, this.name);
	}

	/** The entries as Caffeine holds them, for tests of its settings. */
	Cache<String, Object> caffeine() {
		return this.entries;
	}

	private static Object outcome(Supplier<IntrospectedToken> loader) {
		try {
			IntrospectedToken result = loader.get();
			Assert.state(result != null, "The loader returned null");
			return result;
		}
		catch (RuntimeException ex) {
			return new Failed(ex);
		}
	}

	private static CompletableFuture<Object> outcomeLater(Supplier<CompletableFuture<IntrospectedToken>> loader) {
		try {
			return loader.get().handle((result, failure) -> (failure != null) ? new Failed(unwrap(failure)) : result);
		}
		catch (RuntimeException ex) {
			return CompletableFuture.completedFuture(new Failed(ex));
		}
	}

	/**
	 * Turns a loaded value back into a result, dropping it when it must not stay.
	 * @throws RuntimeException the load's failure
	 */
	private IntrospectedToken resolve(String key, CompletableFuture<Object> load, Object value) {
		if (value instanceof IntrospectedToken token && token.isActive()) {
			return token;
		}
		// Expired already (its lifetime is zero); removed so that it takes no room
		// meanwhile,
		// unless a later load has taken its place.
		this.cache.asMap().remove(key, load);
		if (value instanceof Failed failed) {
			throw failed.failure();
		}
		return (IntrospectedToken) value;
	}

	/** The failure a future completed with, as the loader threw it. */
	static RuntimeException unwrap(Throwable failure) {
		Throwable cause = (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause()
				: failure;
		return (cause instanceof RuntimeException runtime) ? runtime : new CompletionException(cause);
	}

	/**
	 * A load's failure as the loaded value: shared by the callers waiting on that load,
	 * never kept.
	 *
	 * @param failure what the loader threw
	 */
	record Failed(RuntimeException failure) {
	}

}
