package io.github.tokenintrospection.cache;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import com.github.benmanes.caffeine.cache.stats.CacheStats;

import org.springframework.cache.Cache;
import org.springframework.util.Assert;

/**
 * Evicts cached introspection results and reports on the caches, so that an application can
 * act on its own revocation signal at once rather than after the cache TTL. The actuator
 * endpoint {@code tokenintrospection} uses the same operations.
 */
public final class IntrospectionCacheControl {

	/** Fingerprints shorter than this would match too many tokens by accident. */
	private static final int MIN_FINGERPRINT_LENGTH = 12;

	private final Cache activeTokens;

	private final Cache inactiveTokens;

	/**
	 * Creates the control over the given caches.
	 * @param activeTokens cache of active results
	 * @param inactiveTokens cache of inactive tokens
	 */
	public IntrospectionCacheControl(Cache activeTokens, Cache inactiveTokens) {
		Assert.notNull(activeTokens, "activeTokens must not be null");
		Assert.notNull(inactiveTokens, "inactiveTokens must not be null");
		this.activeTokens = activeTokens;
		this.inactiveTokens = inactiveTokens;
	}

	/**
	 * Forgets what is cached about a token, so that the next request introspects it again.
	 * @param token the raw token
	 */
	public void evict(String token) {
		Assert.hasText(token, "token must not be empty");
		String key = TokenHash.sha256Hex(token);
		this.activeTokens.evict(key);
		this.inactiveTokens.evict(key);
	}

	/**
	 * Forgets what is cached about every token whose fingerprint (a prefix of its SHA-256, as
	 * in the audit trail) starts with the given value. Works with the starter's own caches;
	 * a cache of the application's CacheManager cannot be searched. With the shared (Redis)
	 * cache, the tokens found in this instance's own cache are evicted on every instance.
	 * @param fingerprint at least 12 hexadecimal characters
	 * @return how many entries were evicted
	 * @throws IllegalArgumentException when the fingerprint is too short or not hexadecimal
	 * @throws UnsupportedOperationException when a cache cannot be searched
	 */
	public int evictByFingerprint(String fingerprint) {
		Assert.isTrue(fingerprint != null && fingerprint.length() >= MIN_FINGERPRINT_LENGTH
				&& fingerprint.chars().allMatch(IntrospectionCacheControl::isHexDigit),
				"fingerprint must be at least " + MIN_FINGERPRINT_LENGTH + " hexadecimal characters");
		String prefix = fingerprint.toLowerCase(Locale.ROOT);
		return evictMatching(this.activeTokens, prefix) + evictMatching(this.inactiveTokens, prefix);
	}

	/**
	 * Forgets everything cached.
	 */
	public void evictAll() {
		this.activeTokens.clear();
		this.inactiveTokens.clear();
	}

	/**
	 * Returns size and statistics of both caches (statistics for the starter's own caches).
	 * @return the statistics by cache name
	 */
	public Map<String, Map<String, Object>> statistics() {
		Map<String, Map<String, Object>> statistics = new LinkedHashMap<>();
		statistics.put("active", statistics(this.activeTokens));
		statistics.put("inactive", statistics(this.inactiveTokens));
		return statistics;
	}

	/**
	 * Returns the fingerprint of a token: the first 12 hexadecimal characters of its SHA-256.
	 * @param token the raw token
	 * @return the fingerprint
	 */
	public static String fingerprint(String token) {
		return fingerprintOfHash(TokenHash.sha256Hex(token));
	}

	static String fingerprintOfHash(String sha256Hex) {
		return sha256Hex.substring(0, MIN_FINGERPRINT_LENGTH);
	}

	/** ASCII only: {@link Character#digit(int, int)} also accepts digits of other scripts. */
	private static boolean isHexDigit(int c) {
		return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
	}

	private static int evictMatching(Cache cache, String prefix) {
		if (!(cache.getNativeCache() instanceof com.github.benmanes.caffeine.cache.Cache<?, ?> caffeine)) {
			throw new UnsupportedOperationException("Cache " + cache.getName() + " cannot be searched by fingerprint");
		}
		// Evicted through the Spring cache, so that a shared cache passes each eviction on.
		List<Object> matching = caffeine.asMap()
			.keySet()
			.stream()
			.filter((key) -> key.toString().startsWith(prefix))
			.collect(Collectors.toList());
		matching.forEach(cache::evict);
		return matching.size();
	}

	private static Map<String, Object> statistics(Cache cache) {
		Map<String, Object> statistics = new LinkedHashMap<>();
		statistics.put("name", cache.getName());
		if (cache.getNativeCache() instanceof com.github.benmanes.caffeine.cache.Cache<?, ?> nativeCache) {
			CacheStats stats = nativeCache.stats();
			statistics.put("size", nativeCache.estimatedSize());
			statistics.put("hits", stats.hitCount());
			statistics.put("misses", stats.missCount());
			statistics.put("evictions", stats.evictionCount());
		}
		return statistics;
	}

}
