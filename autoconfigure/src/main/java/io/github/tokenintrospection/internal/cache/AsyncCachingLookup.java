package io.github.tokenintrospection.internal.cache;

import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import io.github.tokenintrospection.IntrospectedToken;
import io.github.tokenintrospection.internal.cache.TokenLookup.Lookup;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * The non-blocking twin of {@link CachingIntrospectionClient}: the same caches and the
 * same rules ({@link TokenCachePolicy}), but a lookup is a {@link CompletableFuture} and
 * nothing waits on a thread. Concurrent first requests for one token share one call to
 * the authorization server through {@link TokenCache#retrieveOrLoad}.
 * <p>
 * The active cache must read asynchronously: the starter's own does; an application's
 * cache must support {@code Cache.retrieve} (for example a {@code CaffeineCacheManager}
 * in async mode, or a {@code RedisCacheManager}).
 */
public final class AsyncCachingLookup {

	private final Function<String, CompletableFuture<IntrospectedToken>> delegate;

	private final TokenCachePolicy policy;

	private final TokenCaches caches;

	private final @Nullable RefreshAhead refreshAhead;

	/**
	 * Creates a lookup.
	 * @param delegate asks the authorization server; its future is shared by every
	 * waiting caller, so it must not be cancelled by any one of them
	 * @param activeTokens cache of active results, reading asynchronously
	 * @param inactiveTokens cache of tokens known to be inactive
	 * @param clock the wall clock that {@code exp} is compared with
	 */
	public AsyncCachingLookup(Function<String, CompletableFuture<IntrospectedToken>> delegate, TokenCache activeTokens,
			TokenCache inactiveTokens, Clock clock) {
		this(delegate, new TokenCaches(activeTokens, inactiveTokens), null, clock);
	}

	/**
	 * Creates a lookup that may refresh answers ahead of their end.
	 * @param delegate asks the authorization server
	 * @param caches the caches of active and inactive results
	 * @param refreshAhead the refresh-ahead rules, or {@code null} for none
	 * @param clock the wall clock that {@code exp} is compared with
	 */
	public AsyncCachingLookup(Function<String, CompletableFuture<IntrospectedToken>> delegate, TokenCaches caches,
			@Nullable RefreshAhead refreshAhead, Clock clock) {
		Assert.notNull(delegate, "delegate must not be null");
		this.delegate = delegate;
		this.caches = caches;
		this.refreshAhead = refreshAhead;
		this.policy = new TokenCachePolicy(caches.active(), caches.inactive(), clock);
	}

	/**
	 * Looks a token up.
	 * @param token the raw token
	 * @return the result with its cache status and fingerprint; fails with the server's
	 * failure, which is not cached
	 */
	public CompletableFuture<Lookup> lookup(String token) {
		String key = this.policy.key(token);
		IntrospectedToken held = this.policy.heldHere(key);
		if (held != null) {
			return CompletableFuture.completedFuture(served(key, token, held, false));
		}
		Lookup negativeHit = this.policy.negativeHit(key);
		if (negativeHit != null) {
			return CompletableFuture.completedFuture(negativeHit);
		}
		AtomicBoolean loaded = new AtomicBoolean();
		return retrieve(key, token, loaded).thenCompose((result) -> {
			if (this.policy.mustReload(key, result, loaded.get())) {
				AtomicBoolean reloaded = new AtomicBoolean();
				return retrieve(key, token, reloaded)
					.thenApply((fresh) -> this.policy.lookup(key, fresh, reloaded.get()));
			}
			return CompletableFuture.completedFuture(served(key, token, result, loaded.get()));
		});
	}

	private Lookup served(String key, String token, IntrospectedToken result, boolean loaded) {
		if (this.refreshAhead != null) {
			refreshAhead(this.refreshAhead, key, token, result, loaded);
		}
		return this.policy.lookup(key, result, loaded);
	}

	/**
	 * Nothing waits on the refresh: the call runs on the client's own threads, the cache
	 * is written on refresh-ahead's.
	 */
	private void refreshAhead(RefreshAhead refresh, String key, String token, IntrospectedToken result,
			boolean loaded) {
		if (loaded) {
			if (result.isActive()) {
				refresh.obtained(key);
			}
		}
		else if (result.isActive() && refresh.due(key, result)) {
			CompletableFuture<IntrospectedToken> call;
			try {
				call = this.delegate.apply(token);
			}
			catch (RuntimeException ex) {
				refresh.failed(key);
				return;
			}
			call.whenComplete((fresh, failure) -> {
				if (failure != null || fresh == null) {
					refresh.failed(key);
					return;
				}
				// Off the client's thread (an event loop): writing the answer may block
				// (Redis).
				try {
					refresh.executor().execute(() -> refresh.refreshed(key, result, fresh, this.caches));
				}
				catch (RejectedExecutionException ex) {
					refresh.failed(key);
				}
			});
		}
	}

	private CompletableFuture<IntrospectedToken> retrieve(String key, String token, AtomicBoolean loaded) {
		return this.policy.activeTokens().retrieveOrLoad(key, () -> load(key, token, loaded));
	}

	/** Runs once per key while other callers for the same key wait on its future. */
	private CompletableFuture<IntrospectedToken> load(String key, String token, AtomicBoolean loaded) {
		if (this.policy.knownInactive(key)) {
			return CompletableFuture.completedFuture(IntrospectedToken.inactive());
		}
		loaded.set(true);
		return this.delegate.apply(token).thenApply((result) -> this.policy.admit(key, result));
	}

}
