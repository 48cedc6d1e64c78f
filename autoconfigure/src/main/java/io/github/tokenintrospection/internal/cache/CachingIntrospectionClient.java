package io.github.tokenintrospection.internal.cache;

import java.time.Clock;
import java.util.concurrent.RejectedExecutionException;

import io.github.tokenintrospection.IntrospectedToken;
import io.github.tokenintrospection.client.IntrospectionClient;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Decorates an {@link IntrospectionClient} with two caches keyed by the SHA-256 of the
 * token: one for active tokens and one, separately bounded, for inactive ones, so that a
 * flood of random tokens cannot push valid entries out.
 * <p>
 * Concurrent first requests for one token share one call to the authorization server
 * ({@link TokenCache#getOrLoad}). Failures are never cached. An active entry is never
 * served once the wall clock reaches its {@code exp}, whatever the cache's own expiry
 * says. Claims are not validated here: that happens on every request, cached or not.
 */
public final class CachingIntrospectionClient implements IntrospectionClient, TokenLookup {

	private final IntrospectionClient delegate;

	private final TokenCachePolicy policy;

	private final TokenCaches caches;

	private final @Nullable RefreshAhead refreshAhead;

	/**
	 * Creates a caching client.
	 * @param delegate the client that calls the authorization server
	 * @param activeTokens cache of active results
	 * @param inactiveTokens cache of tokens known to be inactive
	 * @param clock the wall clock that {@code exp} is compared with
	 */
	public CachingIntrospectionClient(IntrospectionClient delegate, TokenCache activeTokens, TokenCache inactiveTokens,
			Clock clock) {
		this(delegate, new TokenCaches(activeTokens, inactiveTokens), null, clock);
	}

	/**
	 * Creates a caching client that may refresh answers ahead of their end.
	 * @param delegate the client that calls the authorization server
	 * @param caches the caches of active and inactive results
	 * @param refreshAhead the refresh-ahead rules, or {@code null} for none
	 * @param clock the wall clock that {@code exp} is compared with
	 */
	public CachingIntrospectionClient(IntrospectionClient delegate, TokenCaches caches,
			@Nullable RefreshAhead refreshAhead, Clock clock) {
		Assert.notNull(delegate, "delegate must not be null");
		this.delegate = delegate;
		this.caches = caches;
		this.refreshAhead = refreshAhead;
		this.policy = new TokenCachePolicy(caches.active(), caches.inactive(), clock);
	}

	@Override
	public IntrospectedToken introspect(String token) {
		return lookup(token).token();
	}

	@Override
	public Lookup lookup(String token) {
		String key = this.policy.key(token);
		IntrospectedToken held = this.policy.heldHere(key);
		if (held != null) {
			return served(key, token, held, false);
		}
		Lookup negativeHit = this.policy.negativeHit(key);
		if (negativeHit != null) {
			return negativeHit;
		}
		boolean[] loaded = new boolean[1];
		IntrospectedToken result = getOrIntrospect(key, token, loaded);
		if (this.policy.mustReload(key, result, loaded[0])) {
			result = getOrIntrospect(key, token, loaded);
		}
		return served(key, token, result, loaded[0]);
	}

	private Lookup served(String key, String token, IntrospectedToken result, boolean loaded) {
		if (this.refreshAhead != null) {
			refreshAhead(this.refreshAhead, key, token, result, loaded);
		}
		return this.policy.lookup(key, result, loaded);
	}

	private void refreshAhead(RefreshAhead refresh, String key, String token, IntrospectedToken result,
			boolean loaded) {
		if (loaded) {
			if (result.isActive()) {
				refresh.obtained(key);
			}
		}
		else if (result.isActive() && refresh.due(key, result)) {
			try {
				refresh.executor().execute(() -> refresh(refresh, key, token, result));
			}
			catch (RejectedExecutionException ex) {
				refresh.failed(key);
			}
		}
	}

	/** On refresh-ahead's thread; the key's single flight ends whatever happens. */
	private void refresh(RefreshAhead refresh, String key, String token, IntrospectedToken served) {
		if (!refresh.stillDue(key, served)) {
			return;
		}
		IntrospectedToken fresh;
		try {
			fresh = this.delegate.introspect(token);
		}
		catch (RuntimeException ex) {
			refresh.failed(key);
			return;
		}
		catch (Error ex) {
			refresh.failed(key);
			throw ex;
		}
		refresh.refreshed(key, served, fresh, this.caches);
	}

	/**
	 * Sets {@code loaded[0]} when this call, not a concurrent one or an earlier one,
	 * asked the authorization server.
	 */
	private IntrospectedToken getOrIntrospect(String key, String token, boolean[] loaded) {
		return this.policy.activeTokens().getOrLoad(key, () -> {
			// Runs once per key while other callers for the same key wait.
			if (this.policy.knownInactive(key)) {
				return IntrospectedToken.inactive();
			}
			loaded[0] = true;
			return this.policy.admit(key, this.delegate.introspect(token));
		});
	}

}
