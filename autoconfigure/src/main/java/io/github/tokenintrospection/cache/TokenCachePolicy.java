package io.github.tokenintrospection.cache;

import java.time.Clock;

import io.github.tokenintrospection.IntrospectedToken;
import io.github.tokenintrospection.cache.TokenLookup.Lookup;
import io.github.tokenintrospection.observation.CacheStatus;

import org.springframework.cache.Cache;
import org.springframework.util.Assert;

/**
 * The cache rules that the blocking and the reactive lookups share; they differ only in how
 * they wait for a load. Keys are the token's SHA-256; an inactive answer goes to the
 * separately bounded inactive cache and never to the active one; a failure is never cached
 * (it leaves the loader as an exception); an active entry is not served once its
 * {@code exp} has passed, whatever the cache's own expiry says.
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
	Lookup negativeHit(String key) {
		if (this.inactiveTokens.get(key) != null) {
			return new Lookup(IntrospectedToken.inactive(), CacheStatus.NEGATIVE_HIT, fingerprint(key));
		}
		return null;
	}

	/**
	 * Before asking the server in the loader: a concurrent load may have found the token
	 * inactive meanwhile.
	 * @throws InactiveTokenSignal when it did
	 */
	void checkNotKnownInactive(String key) {
		if (this.inactiveTokens.get(key) != null) {
			throw InactiveTokenSignal.INSTANCE;
		}
	}

	/**
	 * Sorts the server's answer: an active one goes to the active cache (returned from the
	 * loader), an inactive one to the inactive cache.
	 * @throws InactiveTokenSignal for an inactive answer, so that the active cache keeps
	 * nothing
	 */
	IntrospectedToken admit(String key, IntrospectedToken result) {
		if (!result.isActive()) {
			this.inactiveTokens.put(key, Boolean.TRUE);
			throw InactiveTokenSignal.INSTANCE;
		}
		return result;
	}

	/**
	 * Whether a result from the cache must be loaded again: a cache that does not honour
	 * per-entry expiry (an application's own) may still hold it past {@code exp}. A result
	 * just loaded is not asked for again: the server has answered. Evicts the stale entry.
	 */
	boolean mustReload(String key, IntrospectedToken result, boolean loaded) {
		if (!loaded && result.isExpiredAt(this.clock.instant())) {
			this.activeTokens.evict(key);
			return true;
		}
		return false;
	}

	/** The result of a load, with the inactive signal turned back into an inactive token. */
	static IntrospectedToken inactiveIfSignalled(Throwable failure) {
		if (failure instanceof InactiveTokenSignal) {
			return IntrospectedToken.inactive();
		}
		return null;
	}

	Lookup lookup(String key, IntrospectedToken result, boolean loaded) {
		return new Lookup(result, loaded ? CacheStatus.MISS : CacheStatus.HIT, fingerprint(key));
	}

	private static String fingerprint(String key) {
		return IntrospectionCacheControl.fingerprintOfHash(key);
	}

}
