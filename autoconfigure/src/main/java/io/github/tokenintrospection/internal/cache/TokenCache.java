package io.github.tokenintrospection.internal.cache;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import io.github.tokenintrospection.IntrospectedToken;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;

/**
 * A cache of introspection results as the starter uses it: keys are the token's SHA-256
 * (hex), values {@link IntrospectedToken}s. It is all that the caching lookups, the cache
 * control (and its actuator endpoint) and the metrics need, so that none of them looks
 * behind it.
 * <p>
 * Three implementations: the starter's own Caffeine cache ({@link IntrospectionCaches}),
 * the two-level cache (Caffeine in front of Redis), and an adapter over a cache of the
 * application's {@code CacheManager} ({@code token-introspection.cache.name}). Only
 * active results stay cached: an inactive answer or a failure is handed to the callers
 * waiting on that load and dropped, never written to a cache the application or another
 * instance reads. Claims and {@code exp} are checked by the callers, not here.
 * <p>
 * Internal to the starter: not meant to be implemented or called by applications.
 */
public interface TokenCache {

	/**
	 * Returns the cache's name, as metrics and the actuator endpoint show it.
	 * @return the name
	 */
	String name();

	/**
	 * Returns the cached result for a key; counted as a hit or a miss.
	 * @param key the token's SHA-256
	 * @return the result, or {@code null}
	 */
	@Nullable IntrospectedToken get(String key);

	/**
	 * Returns an active result this instance holds, at once: without loading, waiting for
	 * a load, or asking a shared store. The hit path of a lookup; a cache without one
	 * returns {@code null} and the lookup goes on to {@link #getOrLoad}. Counted as a hit
	 * when found, not counted otherwise (the lookup that follows counts).
	 * @param key the token's SHA-256
	 * @return the held active result, or {@code null}
	 */
	default @Nullable IntrospectedToken findHere(String key) {
		return null;
	}

	/**
	 * Caches a result.
	 * @param key the token's SHA-256
	 * @param result the result
	 */
	void put(String key, IntrospectedToken result);

	/**
	 * Replaces an entry's answer only if the entry still holds the given one: an
	 * eviction, an expiry or a new load since it was served wins, so that a refresh can
	 * never bring back an answer that was revoked meanwhile. With the shared cache, the
	 * new answer is written through to Redis.
	 * @param key the token's SHA-256
	 * @param served the answer the entry held when the refresh began (that instance)
	 * @param fresh the new answer
	 * @return whether it was replaced
	 */
	default boolean replace(String key, IntrospectedToken served, IntrospectedToken fresh) {
		return false;
	}

	/**
	 * Returns the cached result, or loads it. On this instance the loader runs at most
	 * once per key at a time, on the calling thread; concurrent callers wait for its
	 * outcome and share it: the result, or the failure it threw. Only an active result is
	 * kept.
	 * @param key the token's SHA-256
	 * @param loader asks the authorization server
	 * @return the cached or loaded result
	 * @throws RuntimeException the loader's failure, which is not kept
	 */
	IntrospectedToken getOrLoad(String key, Supplier<IntrospectedToken> loader);

	/**
	 * The non-blocking twin of {@link #getOrLoad(String, Supplier)}: nothing waits on a
	 * thread.
	 * @param key the token's SHA-256
	 * @param loader asks the authorization server; its future is shared by every waiting
	 * caller, so it must not be cancelled by any one of them
	 * @return the cached or loaded result; fails with the load's failure, which is not
	 * kept
	 */
	CompletableFuture<IntrospectedToken> retrieveOrLoad(String key,
			Supplier<CompletableFuture<IntrospectedToken>> loader);

	/**
	 * Checks, at start-up, that {@link #retrieveOrLoad(String, Supplier)} can be used.
	 * @throws IllegalStateException or {@link UnsupportedOperationException} saying why
	 * not
	 */
	default void checkRetrievesAsynchronously() {
	}

	/**
	 * Drops a key from this instance only, quietly: what a load left behind, or a result
	 * past its {@code exp}. On a shared cache, not a revocation.
	 * @param key the token's SHA-256
	 * @return whether this instance held the key
	 */
	boolean evictHere(String key);

	/**
	 * Evicts a key: a revocation, sent to every instance when the cache is shared.
	 * @param key the token's SHA-256
	 * @return {@code true} when the shared store and every other instance were reached;
	 * {@code false} when only this instance was (always, when the cache is not shared)
	 */
	boolean evict(String key);

	/**
	 * Empties the cache, on every instance when it is shared.
	 * @return {@code true} when the shared store and every other instance were reached;
	 * {@code false} when only this instance was (always, when the cache is not shared)
	 */
	boolean clear();

	/**
	 * Whether evictions reach the other instances (the two-level cache).
	 * @return {@code true} for a shared cache; {@code false} unless overridden
	 */
	default boolean isShared() {
		return false;
	}

	/**
	 * Whether this instance holds a key, without counting a hit or a miss.
	 * @param key the token's SHA-256
	 * @return {@code false} also when the cache cannot tell
	 */
	boolean containsHere(String key);

	/**
	 * Returns the keys this instance holds that start with a prefix.
	 * @param prefix the start of the SHA-256 (lower-case hex)
	 * @return the keys found
	 * @throws UnsupportedOperationException when the cache cannot be searched
	 */
	List<String> keysStartingWith(String prefix);

	/**
	 * Returns the keys whose cached answer names a user or a session: the entries this
	 * instance holds with that claim (the cache is its own index: a scan of at most
	 * {@code max-size} entries, done only when an eviction asks), and with the shared
	 * cache those Redis indexes under it.
	 * @param claim {@code sub} or {@code sid}
	 * @param value the claim's value
	 * @return the keys found, and whether the shared store was searched
	 * @throws UnsupportedOperationException when the cache cannot be searched
	 */
	ClaimMatches keysWithClaim(String claim, String value);

	/**
	 * Whether a cached value is an answer with the given claim value.
	 * @param cached a value of the cache
	 * @param claim the claim's name
	 * @param value the claim's value
	 * @return {@code true} when it is
	 */
	static boolean hasClaim(@Nullable Object cached, String claim, String value) {
		return cached instanceof IntrospectedToken token && value.equals(token.stringClaim(claim));
	}

	/**
	 * Returns how many entries this instance holds, approximately.
	 * @return the count, {@code 0} when the cache cannot tell
	 */
	long estimatedSize();

	/**
	 * Returns this instance's statistics.
	 * @return the statistics, or {@code null} when the cache keeps none the starter can
	 * read
	 */
	@Nullable Statistics statistics();

	/**
	 * Registers the cache's meters ({@code cache.gets}, {@code cache.size}...), when they
	 * are the starter's to register. Called only when Micrometer is present.
	 * @param registry the registry
	 */
	void bindMetrics(MeterRegistry registry);

	/**
	 * The keys of a search by claim.
	 *
	 * @param keys the keys found
	 * @param sharedStoreSearched whether the shared store (Redis) answered; {@code false}
	 * for a cache that is not shared
	 */
	record ClaimMatches(List<String> keys, boolean sharedStoreSearched) {

		/**
		 * Keys found in this instance's cache only.
		 * @param keys the keys
		 * @return the matches
		 */
		public static ClaimMatches here(List<String> keys) {
			return new ClaimMatches(keys, false);
		}

	}

	/**
	 * What a cache counted on this instance.
	 *
	 * @param size the approximate number of entries
	 * @param hits the reads that found an entry
	 * @param misses the reads that found none
	 * @param evictions the entries dropped for size or expiry
	 */
	record Statistics(long size, long hits, long misses, long evictions) {
	}

}
