package io.github.tokenintrospection.cache.shared;

import io.github.tokenintrospection.IntrospectedToken;

/**
 * What Redis holds for one token: its active introspection result, bound to the cache key
 * (the token's SHA-256) it was stored under, so that a value copied to another key is not
 * believed.
 *
 * @param key the cache key
 * @param token the result
 */
record SharedEntry(String key, IntrospectedToken token) {

}
