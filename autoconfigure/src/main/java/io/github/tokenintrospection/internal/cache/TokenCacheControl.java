package io.github.tokenintrospection.internal.cache;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.github.tokenintrospection.cache.CacheEviction;
import io.github.tokenintrospection.cache.IntrospectionCacheControl;

import org.springframework.util.Assert;

/**
 * The cache control over the starter's two token caches.
 */
public final class TokenCacheControl implements IntrospectionCacheControl {

	/** Fingerprints shorter than this would match too many tokens by accident. */
	private static final int MIN_FINGERPRINT_LENGTH = TokenHash.FINGERPRINT_LENGTH;

	private final TokenCache activeTokens;

	private final TokenCache inactiveTokens;

	/**
	 * Creates the control over the given caches.
	 * @param activeTokens cache of active results
	 * @param inactiveTokens cache of inactive tokens
	 */
	public TokenCacheControl(TokenCache activeTokens, TokenCache inactiveTokens) {
		Assert.notNull(activeTokens, "activeTokens must not be null");
		Assert.notNull(inactiveTokens, "inactiveTokens must not be null");
		this.activeTokens = activeTokens;
		this.inactiveTokens = inactiveTokens;
	}

	@Override
	public CacheEviction evict(String token) {
		Assert.hasText(token, "token must not be empty");
		String key = TokenHash.sha256Hex(token);
		// Looks without reading, so that the statistics count no hit or miss.
		boolean cachedHere = this.activeTokens.containsHere(key) || this.inactiveTokens.containsHere(key);
		boolean reachedAll = this.activeTokens.evict(key);
		this.inactiveTokens.evict(key);
		return eviction(cachedHere ? 1 : 0, reachedAll);
	}

	@Override
	public CacheEviction evictByFingerprint(String fingerprint) {
		Assert.isTrue(
				fingerprint != null && fingerprint.length() >= MIN_FINGERPRINT_LENGTH
						&& fingerprint.chars().allMatch(TokenCacheControl::isHexDigit),
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

	@Override
	public CacheEviction evictSubject(String subject) {
		Assert.hasText(subject, "subject must not be empty");
		return evictWithClaim("sub", subject);
	}

	@Override
	public CacheEviction evictSession(String sessionId) {
		Assert.hasText(sessionId, "sessionId must not be empty");
		return evictWithClaim("sid", sessionId);
	}

	/**
	 * Only active answers carry claims: the inactive cache has nothing of a user. Each
	 * key is evicted like one token, so that the eviction channel tells every instance.
	 */
	private CacheEviction evictWithClaim(String claim, String value) {
		TokenCache.ClaimMatches matches = this.activeTokens.keysWithClaim(claim, value);
		boolean reachedAll = this.activeTokens.isShared();
		int evicted = 0;
		for (String key : matches.keys()) {
			evicted += this.activeTokens.containsHere(key) ? 1 : 0;
			reachedAll &= this.activeTokens.evict(key);
		}
		if (this.activeTokens.isShared() && !matches.sharedStoreSearched()) {
			return new CacheEviction(evicted, CacheEviction.Scope.THIS_INSTANCE_ONLY,
					CacheEviction.REDIS_INDEX_UNREACHABLE);
		}
		return eviction(evicted, reachedAll);
	}

	@Override
	public CacheEviction evictAll() {
		long held = this.activeTokens.estimatedSize() + this.inactiveTokens.estimatedSize();
		boolean reachedAll = this.activeTokens.clear();
		this.inactiveTokens.clear();
		return eviction((int) Math.min(held, Integer.MAX_VALUE), reachedAll);
	}

	@Override
	public Map<String, Map<String, Object>> statistics() {
		Map<String, Map<String, Object>> statistics = new LinkedHashMap<>();
		statistics.put("active", statistics(this.activeTokens));
		statistics.put("inactive", statistics(this.inactiveTokens));
		return statistics;
	}

	/**
	 * ASCII only: {@link Character#digit(int, int)} also accepts digits of other scripts.
	 */
	private static boolean isHexDigit(int c) {
		return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
	}

	private CacheEviction eviction(int evicted, boolean reachedAll) {
		if (reachedAll) {
			return new CacheEviction(evicted, CacheEviction.Scope.ALL_INSTANCES, null);
		}
		String reason = this.activeTokens.isShared() ? CacheEviction.REDIS_UNREACHABLE : CacheEviction.NOT_SHARED;
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
