package io.github.tokenintrospection.cache;

import java.time.Clock;

import io.github.tokenintrospection.IntrospectedToken;
import io.github.tokenintrospection.client.IntrospectionClient;
import io.github.tokenintrospection.observation.CacheStatus;

import org.springframework.cache.Cache;
import org.springframework.util.Assert;

/**
 * Decorates an {@link IntrospectionClient} with two caches keyed by the SHA-256 of the
 * token: one for active tokens and one, separately bounded, for inactive ones, so that a
 * flood of random tokens cannot push valid entries out.
 * <p>
 * Concurrent first requests for one token share one call to the authorization server
 * (the active cache's {@link Cache#get(Object, java.util.concurrent.Callable)} is atomic per
 * key, as Caffeine's is). Failures are never cached. An active entry is never served once
 * the wall clock reaches its {@code exp}, whatever the cache's own expiry says. Claims are
 * not validated here: that happens on every request, cached or not.
 */
public final class CachingIntrospectionClient implements IntrospectionClient, TokenLookup {

	private final IntrospectionClient delegate;

	private final Cache activeTokens;

	private final Cache inactiveTokens;

	private final Clock clock;

	/**
	 * Creates a caching client.
	 * @param delegate the client that calls the authorization server
	 * @param activeTokens cache of active results (values are {@link IntrospectedToken})
	 * @param inactiveTokens cache of tokens known to be inactive
	 * @param clock the wall clock that {@code exp} is compared with
	 */
	public CachingIntrospectionClient(IntrospectionClient delegate, Cache activeTokens, Cache inactiveTokens,
			Clock clock) {
		Assert.notNull(delegate, "delegate must not be null");
		Assert.notNull(activeTokens, "activeTokens must not be null");
		Assert.notNull(inactiveTokens, "inactiveTokens must not be null");
		Assert.notNull(clock, "clock must not be null");
		this.delegate = delegate;
		this.activeTokens = activeTokens;
		this.inactiveTokens = inactiveTokens;
		this.clock = clock;
	}

	@Override
	public IntrospectedToken introspect(String token) {
		return lookup(token).token();
	}

	@Override
	public Lookup lookup(String token) {
		String key = TokenHash.sha256Hex(token);
		String fingerprint = IntrospectionCacheControl.fingerprintOfHash(key);
		if (this.inactiveTokens.get(key) != null) {
			return new Lookup(IntrospectedToken.inactive(), CacheStatus.NEGATIVE_HIT, fingerprint);
		}
		boolean[] loaded = new boolean[1];
		IntrospectedToken result = getOrIntrospect(key, token, loaded);
		if (!loaded[0] && result.isExpiredAt(this.clock.instant())) {
			// A cache that does not honour per-entry expiry (a user's own) may still hold it.
			// A result just loaded is not asked for again: the server has answered.
			this.activeTokens.evict(key);
			result = getOrIntrospect(key, token, loaded);
		}
		return new Lookup(result, loaded[0] ? CacheStatus.MISS : CacheStatus.HIT, fingerprint);
	}

	/**
	 * Sets {@code loaded[0]} when this call, not a concurrent one or an earlier one, asked
	 * the authorization server.
	 */
	private IntrospectedToken getOrIntrospect(String key, String token, boolean[] loaded) {
		try {
			return this.activeTokens.get(key, () -> {
				loaded[0] = true;
				return introspectAndSortOut(key, token);
			});
		}
		catch (Cache.ValueRetrievalException ex) {
			if (ex.getCause() instanceof InactiveTokenSignal) {
				return IntrospectedToken.inactive();
			}
			if (ex.getCause() instanceof RuntimeException cause) {
				throw cause;
			}
			throw ex;
		}
	}

	/**
	 * Runs once per key while other callers for the same key wait. An inactive answer goes
	 * to the inactive cache and leaves the active cache empty for this key.
	 */
	private IntrospectedToken introspectAndSortOut(String key, String token) {
		if (this.inactiveTokens.get(key) != null) {
			throw InactiveTokenSignal.INSTANCE;
		}
		IntrospectedToken result = this.delegate.introspect(token);
		if (!result.isActive()) {
			this.inactiveTokens.put(key, Boolean.TRUE);
			throw InactiveTokenSignal.INSTANCE;
		}
		return result;
	}

	/**
	 * Leaves the active cache's loader without storing anything; carries no stack trace.
	 */
	private static final class InactiveTokenSignal extends RuntimeException {

		private static final long serialVersionUID = 1L;

		static final InactiveTokenSignal INSTANCE = new InactiveTokenSignal();

		private InactiveTokenSignal() {
			super("inactive token", null, false, false);
		}

	}

}
