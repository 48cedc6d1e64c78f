/**
 * The introspected-token model. The introspectors that validate what the authorization
 * server answers are in {@code io.github.tokenintrospection.introspector}.
 */
@NullMarked
package io.github.tokenintrospection;

import org.jspecify.annotations.NullMarked;
