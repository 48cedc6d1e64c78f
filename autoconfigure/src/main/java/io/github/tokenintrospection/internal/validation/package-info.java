/**
 * Composition of claim validators. Not API: may change in any release.
 */
@NullMarked
package io.github.tokenintrospection.internal.validation;

import org.jspecify.annotations.NullMarked;
