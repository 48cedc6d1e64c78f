/**
 * The introspectors' shared core: the token syntax guard, the decision on an introspection
 * result (validation, authorities, listeners), and the servlet introspector.
 */
@NullMarked
package io.github.tokenintrospection.introspector;

import org.jspecify.annotations.NullMarked;
