package io.github.tokenintrospection.internal.cache.shared;

import io.github.tokenintrospection.IntrospectedToken;

/**
 * What Redis holds for one token: its active introspection result, bound to the cache key
 * (the token's SHA-256) it was stored under, so that a value copied to another key is not
 * believed.
 *
 * @param key the cache key
 * @param token the result
 * @param storedEpochSecond when the value was written to Redis, by the writer's clock;
 * read back from Redis, {@link #NOT_STORED} for an entry about to be written (the
 * serializer stamps it)
 */
record SharedEntry(String key, IntrospectedToken token, long storedEpochSecond) {

	static final long NOT_STORED = -1;

	/**
	 * An entry to write to Redis.
	 */
	SharedEntry(String key, IntrospectedToken token) {
		this(key, token, NOT_STORED);
	}

}
