/**
 * The servlet stack's web details that are not API. Not API: may change in any release.
 */
@NullMarked
package io.github.tokenintrospection.internal.servlet;

import org.jspecify.annotations.NullMarked;
