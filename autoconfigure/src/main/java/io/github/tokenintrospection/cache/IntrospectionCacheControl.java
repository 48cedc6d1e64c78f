package io.github.tokenintrospection.cache;

import java.util.Map;

import io.github.tokenintrospection.internal.cache.TokenHash;

/**
 * Evicts cached introspection results and reports on the caches, so that an application
 * can act on its own revocation signal at once rather than after the cache TTL. The
 * actuator endpoint {@code tokenintrospection} uses the same operations. The starter
 * provides the bean; applications inject it.
 */
public interface IntrospectionCacheControl {

	/**
	 * Forgets what is cached about a token, so that the next request introspects it
	 * again. With the shared (Redis) cache, on every instance; the result says when it
	 * reached this instance only (Redis did not answer; the rest is sent once it
	 * answers).
	 * @param token the raw token
	 * @return what was evicted, and how far
	 */
	CacheEviction evict(String token);

	/**
	 * Forgets what is cached about every token whose fingerprint (a prefix of its
	 * SHA-256, as in the audit trail) starts with the given value. Works with the
	 * starter's own caches; a cache of the application's CacheManager cannot be searched.
	 * With the shared (Redis) cache, the tokens found in this instance's own cache are
	 * evicted on every instance.
	 * @param fingerprint at least 12 hexadecimal characters
	 * @return how many entries were evicted, and how far
	 * @throws IllegalArgumentException when the fingerprint is too short or not
	 * hexadecimal
	 * @throws UnsupportedOperationException when a cache cannot be searched
	 */
	CacheEviction evictByFingerprint(String fingerprint);

	/**
	 * Forgets every cached answer of a user (its {@code sub}), so that each of the user's
	 * tokens is introspected again on its next use: when the user is disabled, logs out
	 * everywhere or changes a password. With the shared (Redis) cache, on every instance,
	 * also answers another instance loaded (Redis keeps an index by user).
	 * @param subject the user's {@code sub}, as the introspection answers give it
	 * @return how many answers were evicted, and how far
	 * @throws IllegalArgumentException when the subject is empty
	 * @throws UnsupportedOperationException when a cache cannot be searched (a cache of
	 * the application's CacheManager other than Caffeine)
	 */
	CacheEviction evictSubject(String subject);

	/**
	 * Forgets every cached answer of a session (its {@code sid}, the session the tokens
	 * were issued in): when the user logs out of it. Otherwise like
	 * {@link #evictSubject(String)}.
	 * @param sessionId the session's {@code sid}, as the introspection answers give it
	 * @return how many answers were evicted, and how far
	 * @throws IllegalArgumentException when the session id is empty
	 * @throws UnsupportedOperationException when a cache cannot be searched
	 */
	CacheEviction evictSession(String sessionId);

	/**
	 * Forgets everything cached; with the shared (Redis) cache, on every instance.
	 * @return how many entries this instance held, and how far the eviction reached
	 */
	CacheEviction evictAll();

	/**
	 * Returns size and statistics of both caches (statistics for the starter's own
	 * caches).
	 * @return the statistics by cache name
	 */
	Map<String, Map<String, Object>> statistics();

	/**
	 * Returns the fingerprint of a token: the first 12 hexadecimal characters of its
	 * SHA-256.
	 * @param token the raw token
	 * @return the fingerprint
	 */
	static String fingerprint(String token) {
		return TokenHash.fingerprint(token);
	}

}
