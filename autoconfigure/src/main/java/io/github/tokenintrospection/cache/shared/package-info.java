/**
 * The shared (two-level) token cache: a local cache in front of Redis, with encrypted entries
 * and evictions broadcast to every instance.
 */
@NullMarked
package io.github.tokenintrospection.cache.shared;

import org.jspecify.annotations.NullMarked;
