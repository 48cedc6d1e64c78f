/**
 * Mapping of introspected claims to Spring Security authorities.
 */
@NullMarked
package io.github.tokenintrospection.authority;

import org.jspecify.annotations.NullMarked;
