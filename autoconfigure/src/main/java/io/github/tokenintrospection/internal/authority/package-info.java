/**
 * Reading claims by path for the authority mapping. Not API: may change in any release.
 */
@NullMarked
package io.github.tokenintrospection.internal.authority;

import org.jspecify.annotations.NullMarked;
