package io.github.tokenintrospection.internal.cache;

import java.time.Clock;

import io.github.tokenintrospection.IntrospectedToken;
import io.github.tokenintrospection.internal.cache.TokenLookup.Lookup;
import io.github.tokenintrospection.observation.CacheStatus;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * The cache rules that the blocking and the reactive lookups share; they differ only in
 * how they wait for a load. Keys are the token's SHA-256; an inactive answer goes to the
 * separately bounded inactive cache and never stays in the active one (the active cache
 * hands it to the callers waiting on that load and drops it, as it does a failure, see
 * {@link TokenCache}); an active entry is not served once its {@code exp} has passed,
 * whatever the cache's own expiry says.
 */
final class TokenCachePolicy {

	private final TokenCache activeTokens;

	private final TokenCache inactiveTokens;

	private final Clock clock;

	TokenCachePolicy(TokenCache activeTokens, TokenCache inactiveTokens, Clock clock) {
		Assert.notNull(activeTokens, "activeTokens must not be null");
		Assert.notNull(inactiveTokens, "inactiveTokens must not be null");
		Assert.notNull(clock, "clock must not be null");
		this.activeTokens = activeTokens;
		this.inactiveTokens = inactiveTokens;
		this.clock = clock;
	}

	TokenCache activeTokens() {
		return this.activeTokens;
	}

	String key(String token) {
		return TokenHash.sha256Hex(token);
	}

	/**
	 * The hit path: an active answer this instance holds and may serve, or {@code null}
	 * (the lookup then goes the whole way). Asked before the inactive cache: a key is
	 * never in both, since an inactive answer is only admitted by a load, which runs when
	 * the active cache has nothing for the key, or by a refresh, which evicts the active
	 * entry first. An answer past its {@code exp} is dropped from this instance by
	 * {@link #mustReload}, and the lookup goes the whole way.
	 */
	@Nullable IntrospectedToken heldHere(String key) {
		IntrospectedToken held = this.activeTokens.findHere(key);
		return (held != null && !mustReload(key, held, false)) ? held : null;
	}

	/** The answer for a token known to be inactive, or {@code null}. */
	@Nullable Lookup negativeHit(String key) {
		if (this.inactiveTokens.get(key) != null) {
			return new Lookup(IntrospectedToken.inactive(), CacheStatus.NEGATIVE_HIT, fingerprint(key));
		}
		return null;
	}

	/**
	 * Checked in the loader before asking the server: a concurrent load may have found
	 * the token inactive meanwhile.
	 */
	boolean knownInactive(String key) {
		return this.inactiveTokens.get(key) != null;
	}

	/**
	 * Sorts the server's answer: an inactive one goes to the inactive cache.
	 * @return the answer, to hand to the active cache as the loaded value
	 */
	IntrospectedToken admit(String key, IntrospectedToken result) {
		if (!result.isActive()) {
			this.inactiveTokens.put(key, result);
		}
		return result;
	}

	/**
	 * Whether a result from the cache must be loaded again: a cache that does not honour
	 * per-entry expiry (an application's own) may still hold it past {@code exp}. A
	 * result just loaded is not asked for again: the server has answered. Drops the stale
	 * entry from this instance's cache.
	 */
	boolean mustReload(String key, IntrospectedToken result, boolean loaded) {
		if (!loaded && result.isExpiredAt(this.clock.instant())) {
			// Not evict(): on a shared cache that is a revocation (a remote delete and a
			// broadcast, on the caller's thread); an entry past exp only has to leave
			// this
			// instance, since shared entries expire at exp themselves.
			this.activeTokens.evictHere(key);
			return true;
		}
		return false;
	}

	/**
	 * The result with where it came from: a miss for the caller that asked the server;
	 * for the others (an earlier entry, or a load they waited on) a hit, or a negative
	 * hit when the token is inactive, as a caller arriving a moment later would see it.
	 */
	Lookup lookup(String key, IntrospectedToken result, boolean loaded) {
		CacheStatus status = loaded ? CacheStatus.MISS : result.isActive() ? CacheStatus.HIT : CacheStatus.NEGATIVE_HIT;
		return new Lookup(result, status, fingerprint(key));
	}

	private static String fingerprint(String key) {
		return TokenHash.fingerprintOfHash(key);
	}

}
