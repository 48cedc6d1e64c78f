package io.github.tokenintrospection.cache;

import java.time.Clock;

import io.github.tokenintrospection.IntrospectedToken;
import io.github.tokenintrospection.cache.TokenLookup.Lookup;
import io.github.tokenintrospection.observation.CacheStatus;
import org.jspecify.annotations.Nullable;

import org.springframework.cache.Cache;
import org.springframework.util.Assert;

/**
 * The cache rules that the blocking and the reactive lookups share; they differ only in how
 * they wait for a load. Keys are the token's SHA-256; an inactive answer goes to the
 * separately bounded inactive cache and never stays in the active one; a failure is never
 * cached; an active entry is not served once its {@code exp} has passed, whatever the
 * cache's own expiry says.
 * <p>
 * A load never throws: it returns the active result, or an {@link Uncacheable} outcome that
 * the callers waiting on that load share and that is evicted at once. (An asynchronous
 * Caffeine cache logs every failed load at WARN; inactive tokens and outages are not
 * warnings, and are logged elsewhere.)
 */
final class TokenCachePolicy {

	private final Cache activeTokens;

	private final Cache inactiveTokens;

	private final Clock clock;

	TokenCachePolicy(Cache activeTokens, Cache inactiveTokens, Clock clock) {
		Assert.notNull(activeTokens, "activeTokens must not be null");
		Assert.notNull(inactiveTokens, "inactiveTokens must not be null");
		Assert.notNull(clock, "clock must not be null");
		this.activeTokens = activeTokens;
		this.inactiveTokens = inactiveTokens;
		this.clock = clock;
	}

	Cache activeTokens() {
		return this.activeTokens;
	}

	String key(String token) {
		return TokenHash.sha256Hex(token);
	}

	/** The answer for a token known to be inactive, or {@code null}. */
	@Nullable Lookup negativeHit(String key) {
		if (this.inactiveTokens.get(key) != null) {
			return new Lookup(IntrospectedToken.inactive(), CacheStatus.NEGATIVE_HIT, fingerprint(key));
		}
		return null;
	}

	/**
	 * Checked in the loader before asking the server: a concurrent load may have found the
	 * token inactive meanwhile.
	 * @return the outcome to load instead of asking, or {@code null}
	 */
	@Nullable Object knownInactive(String key) {
		return (this.inactiveTokens.get(key) != null) ? Uncacheable.INACTIVE : null;
	}

	/**
	 * Sorts the server's answer: an active one is the loaded value, an inactive one goes to
	 * the inactive cache.
	 */
	Object admit(String key, IntrospectedToken result) {
		if (!result.isActive()) {
			this.inactiveTokens.put(key, Boolean.TRUE);
			return Uncacheable.INACTIVE;
		}
		return result;
	}

	/** A failure as the loaded value: shared by the waiting callers, never kept. */
	Object failed(RuntimeException failure) {
		return new Uncacheable(failure);
	}

	/**
	 * Turns a loaded (or cached) value back into a result.
	 * @throws RuntimeException the load's failure
	 */
	IntrospectedToken resolve(String key, @Nullable Object value) {
		if (value instanceof IntrospectedToken token) {
			return token;
		}
		// The starter's cache lets such a value expire at once; an application's cache may not.
		// Not evict(): on a shared cache that is a revocation, sent to every instance.
		this.activeTokens.evictIfPresent(key);
		if (value instanceof Uncacheable uncacheable && uncacheable.failure() != null) {
			throw uncacheable.failure();
		}
		return IntrospectedToken.inactive();
	}

	/**
	 * Whether a result from the cache must be loaded again: a cache that does not honour
	 * per-entry expiry (an application's own) may still hold it past {@code exp}. A result
	 * just loaded is not asked for again: the server has answered. Drops the stale entry from
	 * this instance's cache.
	 */
	boolean mustReload(String key, IntrospectedToken result, boolean loaded) {
		if (!loaded && result.isExpiredAt(this.clock.instant())) {
			// Not evict(): on a shared cache that is a revocation (a remote delete and a
			// broadcast, on the caller's thread); an entry past exp only has to leave this
			// instance, since shared entries expire at exp themselves.
			this.activeTokens.evictIfPresent(key);
			return true;
		}
		return false;
	}

	/**
	 * The result with where it came from: a miss for the caller that asked the server; for
	 * the others (an earlier entry, or a load they waited on) a hit, or a negative hit when
	 * the token is inactive, as a caller arriving a moment later would see it.
	 */
	Lookup lookup(String key, IntrospectedToken result, boolean loaded) {
		CacheStatus status = loaded ? CacheStatus.MISS : result.isActive() ? CacheStatus.HIT : CacheStatus.NEGATIVE_HIT;
		return new Lookup(result, status, fingerprint(key));
	}

	private static String fingerprint(String key) {
		return IntrospectionCacheControl.fingerprintOfHash(key);
	}

	/**
	 * A load's outcome that must not stay in the active cache: an inactive token
	 * ({@code failure} null) or a failure.
	 */
	record Uncacheable(@Nullable RuntimeException failure) {

		static final Uncacheable INACTIVE = new Uncacheable(null);

	}

}
