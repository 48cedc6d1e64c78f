package io.github.tokenintrospection.cache;

import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import io.github.tokenintrospection.IntrospectedToken;
import io.github.tokenintrospection.cache.TokenLookup.Lookup;

import org.springframework.cache.Cache;
import org.springframework.util.Assert;

/**
 * The non-blocking twin of {@link CachingIntrospectionClient}: the same caches and the same
 * rules ({@link TokenCachePolicy}), but a lookup is a {@link CompletableFuture} and nothing
 * waits on a thread. Concurrent first requests for one token share one call to the
 * authorization server through {@link Cache#retrieve(Object, java.util.function.Supplier)},
 * which the starter's Caffeine cache implements atomically per key.
 * <p>
 * The active cache must support {@code retrieve}: the starter's own does; an application's
 * cache must be asynchronous (for example a {@code CaffeineCacheManager} in async mode).
 */
public final class AsyncCachingLookup {

	private final Function<String, CompletableFuture<IntrospectedToken>> delegate;

	private final TokenCachePolicy policy;

	/**
	 * Creates a lookup.
	 * @param delegate asks the authorization server; its future is shared by every waiting
	 * caller, so it must not be cancelled by any one of them
	 * @param activeTokens cache of active results, supporting {@code retrieve}
	 * @param inactiveTokens cache of tokens known to be inactive
	 * @param clock the wall clock that {@code exp} is compared with
	 */
	public AsyncCachingLookup(Function<String, CompletableFuture<IntrospectedToken>> delegate, Cache activeTokens,
			Cache inactiveTokens, Clock clock) {
		Assert.notNull(delegate, "delegate must not be null");
		this.delegate = delegate;
		this.policy = new TokenCachePolicy(activeTokens, inactiveTokens, clock);
	}

	/**
	 * Looks a token up.
	 * @param token the raw token
	 * @return the result with its cache status and fingerprint; fails with the server's
	 * failure, which is not cached
	 */
	public CompletableFuture<Lookup> lookup(String token) {
		String key = this.policy.key(token);
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
			return CompletableFuture.completedFuture(this.policy.lookup(key, result, loaded.get()));
		});
	}

	private CompletableFuture<IntrospectedToken> retrieve(String key, String token, AtomicBoolean loaded) {
		CompletableFuture<Object> cached = this.policy.activeTokens().retrieve(key, () -> load(key, token, loaded));
		return cached.thenApply((value) -> this.policy.resolve(key, value));
	}

	/**
	 * Runs once per key while other callers for the same key wait on its future, which
	 * always completes normally (see {@link TokenCachePolicy}).
	 */
	private CompletableFuture<Object> load(String key, String token, AtomicBoolean loaded) {
		Object known = this.policy.knownInactive(key);
		if (known != null) {
			return CompletableFuture.completedFuture(known);
		}
		loaded.set(true);
		try {
			return this.delegate.apply(token).handle((result, failure) -> (failure == null)
					? this.policy.admit(key, result) : this.policy.failed(runtime(failure)));
		}
		catch (RuntimeException ex) {
			return CompletableFuture.completedFuture(this.policy.failed(ex));
		}
	}

	private static RuntimeException runtime(Throwable failure) {
		Throwable cause = (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause()
				: failure;
		return (cause instanceof RuntimeException runtime) ? runtime : new CompletionException(cause);
	}

}
