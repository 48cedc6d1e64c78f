package io.github.tokenintrospection.cache;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.springframework.util.Assert;

/**
 * Evicts cached introspection results and reports on the caches, so that an application can
 * act on its own revocation signal at once rather than after the cache TTL. The actuator
 * endpoint {@code tokenintrospection} uses the same operations.
 */
public final class IntrospectionCacheControl {

	/** Fingerprints shorter than this would match too many tokens by accident. */
	private static final int MIN_FINGERPRINT_LENGTH = 12;

	private final TokenCache activeTokens;

	private final TokenCache inactiveTokens;

	/**
	 * Creates the control over the given caches.
	 * @param activeTokens cache of active results
	 * @param inactiveTokens cache of inactive tokens
	 */
	public IntrospectionCacheControl(TokenCache activeTokens, TokenCache inactiveTokens) {
		Assert.notNull(activeTokens, "activeTokens must not be null");
		Assert.notNull(inactiveTokens, "inactiveTokens must not be null");
		this.activeTokens = activeTokens;
		this.inactiveTokens = inactiveTokens;
	}

	/**
	 * Forgets what is cached about a token, so that the next request introspects it again.
	 * With the shared (Redis) cache, on every instance; the result says when it reached this
	 * instance only (Redis did not answer; the rest is sent once it answers).
	 * @param token the raw token
	 * @return what was evicted, and how far
	 */
	public CacheEviction evict(String token) {
		Assert.hasText(token, "token must not be empty");
		String key = TokenHash.sha256Hex(token);
		// Looks without reading, so that the statistics count no hit or miss.
		boolean cachedHere = this.activeTokens.containsHere(key) || this.inactiveTokens.containsHere(key);
		boolean reachedAll = this.activeTokens.evict(key);
		this.inactiveTokens.evict(key);
		return eviction(cachedHere ? 1 : 0, reachedAll);
	}

	/**
	 * Forgets what is cached about every token whose fingerprint (a prefix of its SHA-256, as
	 * in the audit trail) starts with the given value. Works with the starter's own caches;
	 * a cache of the application's CacheManager cannot be searched. With the shared (Redis)
	 * cache, the tokens found in this instance's own cache are evicted on every instance.
	 * @param fingerprint at least 12 hexadecimal characters
	 * @return how many entries were evicted, and how far
	 * @throws IllegalArgumentException when the fingerprint is too short or not hexadecimal
	 * @throws UnsupportedOperationException when a cache cannot be searched
	 */
	public CacheEviction evictByFingerprint(String fingerprint) {
		Assert.isTrue(fingerprint != null && fingerprint.length() >= MIN_FINGERPRINT_LENGTH
				&& fingerprint.chars().allMatch(IntrospectionCacheControl::isHexDigit),
				"fingerprint must be at least " + MIN_FINGERPRINT_LENGTH + " hexadecimal characters");
		String prefix = fingerprint.toLowerCase(Locale.ROOT);
		List<String> active = this.activeTokens.keysStartingWith(prefix);
		List<String> inactive = this.inactiveTokens.keysStartingWith(prefix);
		boolean reachedAll = true;
		for (String key : active) {
			reachedAll &= this.activeTokens.evict(key);
		}
		inactive.forEach(this.inactiveTokens::evict);
		return eviction(active.size() + inactive.size(), reachedAll && this.activeTokens.isShared());
	}

	/**
	 * Forgets everything cached; with the shared (Redis) cache, on every instance.
	 * @return how many entries this instance held, and how far the eviction reached
	 */
	public CacheEviction evictAll() {
		long held = this.activeTokens.estimatedSize() + this.inactiveTokens.estimatedSize();
		boolean reachedAll = this.activeTokens.clear();
		this.inactiveTokens.clear();
		return eviction((int) Math.min(held, Integer.MAX_VALUE), reachedAll);
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

	private CacheEviction eviction(int evicted, boolean reachedAll) {
		if (reachedAll) {
			return new CacheEviction(evicted, CacheEviction.Scope.ALL_INSTANCES, null);
		}
		String reason = this.activeTokens.isShared() ? CacheEviction.REDIS_UNREACHABLE
				: CacheEviction.NOT_SHARED;
		return new CacheEviction(evicted, CacheEviction.Scope.THIS_INSTANCE_ONLY, reason);
	}

	private static Map<String, Object> statistics(TokenCache cache) {
		Map<String, Object> statistics = new LinkedHashMap<>();
		statistics.put("name", cache.name());
		TokenCache.Statistics counted = cache.statistics();
		if (counted != null) {
			statistics.put("size", counted.size());
			statistics.put("hits", counted.hits());
			statistics.put("misses", counted.misses());
			statistics.put("evictions", counted.evictions());
		}
		return statistics;
	}

}
