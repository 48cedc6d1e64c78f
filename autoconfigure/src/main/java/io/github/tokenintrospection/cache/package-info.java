/**
 * Caching of introspection results: the token caches, their time-to-live policy, eviction
 * and the stale-if-error fallback.
 */
@NullMarked
package io.github.tokenintrospection.cache;

import org.jspecify.annotations.NullMarked;
