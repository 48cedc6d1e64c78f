package io.github.tokenintrospection.reactive;

import io.github.tokenintrospection.cache.AsyncCachingLookup;
import io.github.tokenintrospection.cache.IntrospectionCacheControl;
import io.github.tokenintrospection.cache.TokenLookup.Lookup;
import io.github.tokenintrospection.observation.CacheStatus;
import reactor.core.publisher.Mono;

/**
 * Finds the introspection result for a token and says where it came from, without
 * blocking: the reactive counterpart of {@link io.github.tokenintrospection.cache.TokenLookup}.
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
	 * A lookup without a cache: every request asks the authorization server.
	 * @param client the client to ask
	 * @return the lookup
	 */
	static ReactiveTokenLookup uncached(ReactiveIntrospectionClient client) {
		return (token) -> client.introspect(token)
			.map((result) -> new Lookup(result, CacheStatus.NONE, IntrospectionCacheControl.fingerprint(token)));
	}

	/**
	 * A lookup through the starter's caches, with the blocking pipeline's rules.
	 * @param cached the cache lookup, whose loads call the client below it
	 * @return the lookup
	 */
	static ReactiveTokenLookup caching(AsyncCachingLookup cached) {
		// The future is this caller's own (derived from the shared load), so cancelling it
		// leaves the other waiters alone; suppressing cancellation keeps it that way.
		return (token) -> Mono.fromFuture(() -> cached.lookup(token), true);
	}

}
