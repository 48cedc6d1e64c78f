/**
 * The decision both stacks' introspectors share: validation, principal, authorities,
 * listeners; and the token syntax guard. Not API: may change in any release.
 */
@NullMarked
package io.github.tokenintrospection.internal.introspector;

import org.jspecify.annotations.NullMarked;
