/**
 * The introspected-token model and the introspector that validates what the authorization
 * server answers.
 */
@NullMarked
package io.github.tokenintrospection;

import org.jspecify.annotations.NullMarked;
