package io.github.tokenintrospection.internal.cache;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

import com.github.benmanes.caffeine.cache.stats.CacheStats;
import io.github.tokenintrospection.IntrospectedToken;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.cache.Cache.ValueWrapper;
import org.springframework.cache.Cache;
import org.springframework.util.Assert;

/**
 * Active tokens kept in a cache of the application's {@code CacheManager}
 * ({@code token-introspection.cache.name}), whatever it is: in memory, or a store that
 * serializes its values (such as {@code RedisCacheManager}).
 * <p>
 * Only active results are written to it. One load per key at a time runs on this instance
 * through the adapter's own table of loads in flight, whose callers share the outcome: an
 * inactive answer or a failure reaches them there and never the application's cache. Nor
 * does this rely on what the cache guarantees about concurrent loads. A value of another
 * type found in the cache (written by something else) counts as a miss and is
 * overwritten.
 * <p>
 * The cache's own configuration decides size and lifetime; the callers still never use a
 * result past its {@code exp}. It can be searched and measured only when it is a Caffeine
 * cache.
 */
final class ApplicationTokenCache implements TokenCache {

	private static final Log logger = LogFactory.getLog(ApplicationTokenCache.class);

	private final Cache cache;

	private final ConcurrentMap<String, CompletableFuture<IntrospectedToken>> loads = new ConcurrentHashMap<>();

	ApplicationTokenCache(Cache cache) {
		Assert.notNull(cache, "cache must not be null");
		this.cache = cache;
	}

	@Override
	public String name() {
		return this.cache.getName();
	}

	@Override
	public @Nullable IntrospectedToken get(String key) {
		ValueWrapper wrapper = this.cache.get(key);
		return (wrapper != null) ? activeOrNull(wrapper.get()) : null;
	}

	/**
	 * {@code putIfAbsent}: {@code put} may be deferred (a {@code RedisCache}'s is, by
	 * default), and the next request must find the result.
	 */
	@Override
	public void put(String key, IntrospectedToken result) {
		if (result.isActive()) {
			this.cache.putIfAbsent(key, result);
		}
	}

	@Override
	public IntrospectedToken getOrLoad(String key, Supplier<IntrospectedToken> loader) {
		IntrospectedToken cached = get(key);
		if (cached != null) {
			return cached;
		}
		CompletableFuture<IntrospectedToken> load = new CompletableFuture<>();
		CompletableFuture<IntrospectedToken> inFlight = this.loads.putIfAbsent(key, load);
		if (inFlight != null) {
			return join(inFlight);
		}
		try {
			IntrospectedToken result = loader.get();
			Assert.state(result != null, "The loader returned null");
			put(key, result);
			this.loads.remove(key, load);
			load.complete(result);
			return result;
		}
		catch (RuntimeException ex) {
			this.loads.remove(key, load);
			load.completeExceptionally(ex);
			throw ex;
		}
	}

	/**
	 * Reads through {@link Cache#retrieve(Object)} and writes through
	 * {@link Cache#retrieve(Object, Supplier)} with the loaded result, the only
	 * non-blocking write Spring's {@code Cache} offers ({@code put} blocks on a remote
	 * store).
	 */
	@Override
	public CompletableFuture<IntrospectedToken> retrieveOrLoad(String key,
			Supplier<CompletableFuture<IntrospectedToken>> loader) {
		CompletableFuture<?> cached = this.cache.retrieve(key);
		if (cached == null) {
			return loadShared(key, loader);
		}
		return cached.thenCompose((value) -> {
			IntrospectedToken token = activeOrNull((value instanceof ValueWrapper wrapper) ? wrapper.get() : value);
			return (token != null) ? CompletableFuture.completedFuture(token) : loadShared(key, loader);
		});
	}

	@Override
	public void checkRetrievesAsynchronously() {
		this.cache.retrieve("token-introspection-start-up-check");
	}

	@Override
	public boolean evictHere(String key) {
		return this.cache.evictIfPresent(key);
	}

	/**
	 * {@code evictIfPresent}: {@code evict} may be deferred, and a revocation must not
	 * be.
	 */
	@Override
	public boolean evict(String key) {
		this.cache.evictIfPresent(key);
		return false;
	}

	/** {@code invalidate}: {@code clear} may be deferred (a {@code RedisCache}'s is). */
	@Override
	public boolean clear() {
		this.cache.invalidate();
		return false;
	}

	@Override
	public boolean containsHere(String key) {
		com.github.benmanes.caffeine.cache.Cache<?, ?> caffeine = caffeine();
		return caffeine != null && caffeine.asMap().containsKey(key);
	}

	@Override
	public List<String> keysStartingWith(String prefix) {
		com.github.benmanes.caffeine.cache.Cache<?, ?> caffeine = caffeine();
		if (caffeine == null) {
			throw new UnsupportedOperationException("Cache " + name() + " cannot be searched by fingerprint");
		}
		return caffeine.asMap()
			.keySet()
			.stream()
			.map(Object::toString)
			.filter((key) -> key.startsWith(prefix))
			.toList();
	}

	@Override
	public ClaimMatches keysWithClaim(String claim, String value) {
		com.github.benmanes.caffeine.cache.Cache<?, ?> caffeine = caffeine();
		if (caffeine == null) {
			throw new UnsupportedOperationException("Cache " + name() + " cannot be searched by user or session");
		}
		return ClaimMatches.here(caffeine.asMap()
			.entrySet()
			.stream()
			.filter((entry) -> TokenCache.hasClaim(entry.getValue(), claim, value))
			.map((entry) -> entry.getKey().toString())
			.toList());
	}

	@Override
	public long estimatedSize() {
		com.github.benmanes.caffeine.cache.Cache<?, ?> caffeine = caffeine();
		return (caffeine != null) ? caffeine.estimatedSize() : 0;
	}

	@Override
	public @Nullable Statistics statistics() {
		com.github.benmanes.caffeine.cache.Cache<?, ?> caffeine = caffeine();
		if (caffeine == null) {
			return null;
		}
		CacheStats stats = caffeine.stats();
		return new Statistics(caffeine.estimatedSize(), stats.hitCount(), stats.missCount(), stats.evictionCount());
	}

	/** Spring Boot's cache metrics measure the application's caches already. */
	@Override
	public void bindMetrics(MeterRegistry registry) {
	}

	private CompletableFuture<IntrospectedToken> loadShared(String key,
			Supplier<CompletableFuture<IntrospectedToken>> loader) {
		CompletableFuture<IntrospectedToken> load = new CompletableFuture<>();
		CompletableFuture<IntrospectedToken> inFlight = this.loads.putIfAbsent(key, load);
		if (inFlight != null) {
			// A copy: a caller that cancels must not cancel the others' load.
			return inFlight.copy();
		}
		CompletableFuture<IntrospectedToken> loading;
		try {
			loading = loader.get();
		}
		catch (RuntimeException ex) {
			loading = CompletableFuture.failedFuture(ex);
		}
		loading
			.thenCompose((result) -> result.isActive() ? store(key, result) : CompletableFuture.completedFuture(result))
			.whenComplete((result, failure) -> {
				this.loads.remove(key, load);
				if (failure != null) {
					load.completeExceptionally(CaffeineTokenCache.unwrap(failure));
				}
				else {
					load.complete(result);
				}
			});
		return load.copy();
	}

	private CompletableFuture<IntrospectedToken> store(String key, IntrospectedToken result) {
		return this.cache.retrieve(key, () -> CompletableFuture.completedFuture(result)).thenApply((stored) -> result);
	}

	private com.github.benmanes.caffeine.cache.@Nullable Cache<?, ?> caffeine() {
		return (this.cache.getNativeCache() instanceof com.github.benmanes.caffeine.cache.Cache<?, ?> caffeine)
				? caffeine : null;
	}

	private static @Nullable IntrospectedToken activeOrNull(@Nullable Object value) {
		if (value instanceof IntrospectedToken token && token.isActive()) {
			return token;
		}
		if (value != null) {
			logger.debug("Ignoring a cached " + value.getClass().getName() + ": not an active introspection result");
		}
		return null;
	}

	private static IntrospectedToken join(CompletableFuture<IntrospectedToken> load) {
		try {
			return load.join();
		}
		catch (CompletionException ex) {
			throw CaffeineTokenCache.unwrap(ex);
		}
	}

}
