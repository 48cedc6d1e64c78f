/**
 * The token caches behind one internal contract, the cache rules both stacks follow, and
 * the servlet stack's caching and stale-if-error stages. Not API: may change in any
 * release.
 */
@NullMarked
package io.github.tokenintrospection.internal.cache;

import org.jspecify.annotations.NullMarked;
