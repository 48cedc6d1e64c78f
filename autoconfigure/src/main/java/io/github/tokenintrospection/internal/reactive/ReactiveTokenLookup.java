package io.github.tokenintrospection.internal.reactive;

import java.util.concurrent.CompletableFuture;

import io.github.tokenintrospection.cache.IntrospectionCacheControl;
import io.github.tokenintrospection.internal.cache.AsyncCachingLookup;
import io.github.tokenintrospection.internal.cache.TokenLookup.Lookup;
import io.github.tokenintrospection.internal.introspector.TokenSyntaxGuard;
import io.github.tokenintrospection.observation.CacheStatus;
import io.github.tokenintrospection.reactive.ReactiveIntrospectionClient;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.util.Assert;

/**
 * Finds the introspection result for a token and says where it came from, without
 * blocking: the reactive counterpart of
 * {@link io.github.tokenintrospection.internal.cache.TokenLookup}.
 */
@FunctionalInterface
public interface ReactiveTokenLookup {

	/**
	 * Looks a token up.
	 * @param token the raw token
	 * @return the result with its cache status and fingerprint
	 */
	Mono<Lookup> lookup(String token);

	/**
	 * Puts the syntax guard in front of a lookup, as
	 * {@link TokenSyntaxGuard#guarding(io.github.tokenintrospection.internal.cache.TokenLookup, int)}
	 * does for the blocking one: a token that is too long or not a {@code b64token} fails
	 * with {@code BadOpaqueTokenException} and goes no further. The check runs on
	 * subscription, and so does the lookup.
	 * @param delegate the lookup that handles well-formed tokens
	 * @param maxLength the longest token accepted, in characters
	 * @return the guarded lookup
	 */
	static ReactiveTokenLookup guarded(ReactiveTokenLookup delegate, int maxLength) {
		Assert.notNull(delegate, "delegate must not be null");
		Assert.isTrue(maxLength > 0, "maxLength must be positive");
		return (token) -> Mono.defer(() -> {
			TokenSyntaxGuard.check(token, maxLength);
			return delegate.lookup(token);
		});
	}

	/**
	 * A lookup without a cache: every request asks the authorization server.
	 * @param client the client to ask
	 * @return the lookup
	 */
	static ReactiveTokenLookup uncached(ReactiveIntrospectionClient client) {
		// The answer arrives on the HTTP client's thread; see caching(..) for the hop.
		return (token) -> client.introspect(token)
			.map((result) -> new Lookup(result, CacheStatus.NONE, IntrospectionCacheControl.fingerprint(token)))
			.publishOn(Schedulers.parallel());
	}

	/**
	 * A lookup through the starter's caches, with the blocking pipeline's rules.
	 * @param cached the cache lookup, whose loads call the client below it
	 * @return the lookup
	 */
	static ReactiveTokenLookup caching(AsyncCachingLookup cached) {
		// The future is this caller's own (derived from the shared load), so cancelling
		// it
		// leaves the other waiters alone; suppressing cancellation keeps it that way.
		// A future that is not done yet completes on a foreign thread (the HTTP client's,
		// or a
		// shared cache's connection pool): the rest of the pipeline, the application's
		// handler
		// included, would run there. A local cache hit is already done and is not moved.
		return (token) -> Mono.defer(() -> {
			CompletableFuture<Lookup> future = cached.lookup(token);
			Mono<Lookup> lookup = Mono.fromFuture(future, true);
			return future.isDone() ? lookup : lookup.publishOn(Schedulers.parallel());
		});
	}

}
