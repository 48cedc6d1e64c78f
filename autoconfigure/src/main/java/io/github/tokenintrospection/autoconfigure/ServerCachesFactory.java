package io.github.tokenintrospection.autoconfigure;

import java.time.Clock;

import io.github.tokenintrospection.internal.cache.IntrospectionCaches;
import io.github.tokenintrospection.internal.cache.TokenCaches;

/**
 * Makes the caches of a named authorization server: the starter's own, or shared through
 * Redis when the default server's are. Each server's caches have their own names (and
 * Redis keys), so that one server's answers never answer for another.
 */
@FunctionalInterface
interface ServerCachesFactory {

	/**
	 * Creates the caches of one server.
	 * @param server the server's name
	 * @param cache its cache settings
	 * @return the caches
	 */
	TokenCaches create(String server, TokenIntrospectionProperties.Cache cache);

	/** The starter's own caches, in this instance's memory. */
	ServerCachesFactory LOCAL = (server, cache) -> new TokenCaches(
			IntrospectionCaches.activeTokens(activeName(server), cache.getTtl(), cache.getMaxSize(), Clock.systemUTC()),
			IntrospectionCaches.inactiveTokens(inactiveName(server), cache.getNegativeTtl(),
					cache.getNegativeMaxSize()));

	static String activeName(String server) {
		return TokenIntrospectionProperties.PREFIX + "." + server + ".active";
	}

	static String inactiveName(String server) {
		return TokenIntrospectionProperties.PREFIX + "." + server + ".inactive";
	}

}
