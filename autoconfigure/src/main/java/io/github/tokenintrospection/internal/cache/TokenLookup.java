package io.github.tokenintrospection.internal.cache;

import io.github.tokenintrospection.IntrospectedToken;
import io.github.tokenintrospection.cache.IntrospectionCacheControl;
import io.github.tokenintrospection.client.IntrospectionClient;
import io.github.tokenintrospection.observation.CacheStatus;
import io.github.tokenintrospection.observation.IntrospectionDecision.Path;

/**
 * Finds the introspection result for a token and says where it came from.
 */
@FunctionalInterface
public interface TokenLookup {

	/**
	 * Looks a token up.
	 * @param token the raw token
	 * @return the result with its cache status and fingerprint
	 */
	Lookup lookup(String token);

	/**
	 * A lookup without a cache: every request asks the authorization server.
	 * @param client the client to ask
	 * @return the lookup
	 */
	static TokenLookup uncached(IntrospectionClient client) {
		return (token) -> new Lookup(client.introspect(token), CacheStatus.NONE,
				IntrospectionCacheControl.fingerprint(token));
	}

	/**
	 * The result of a lookup.
	 *
	 * @param token the introspection result
	 * @param cacheStatus where it came from
	 * @param fingerprint the token's fingerprint (a short prefix of its SHA-256)
	 * @param path whether the claims were verified locally or introspected
	 */
	record Lookup(IntrospectedToken token, CacheStatus cacheStatus, String fingerprint, Path path) {

		/**
		 * The result of an introspection.
		 * @param token the introspection result
		 * @param cacheStatus where it came from
		 * @param fingerprint the token's fingerprint
		 */
		public Lookup(IntrospectedToken token, CacheStatus cacheStatus, String fingerprint) {
			this(token, cacheStatus, fingerprint, Path.INTROSPECTION);
		}

	}

}
