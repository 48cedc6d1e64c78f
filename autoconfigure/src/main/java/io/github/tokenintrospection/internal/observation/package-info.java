/**
 * The built-in listeners (metrics, audit trail, recent call outcomes) and the
 * observed-client stage. Not API: may change in any release.
 */
@NullMarked
package io.github.tokenintrospection.internal.observation;

import org.jspecify.annotations.NullMarked;
