/**
 * The shared (two-level) token cache: a local cache in front of Redis, with encrypted
 * entries and evictions broadcast to every instance. Not API: may change in any release.
 */
@NullMarked
package io.github.tokenintrospection.internal.cache.shared;

import org.jspecify.annotations.NullMarked;
