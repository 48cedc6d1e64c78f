/**
 * Stack-neutral web details shared by the servlet and reactive classes. Not API: may
 * change in any release.
 */
@NullMarked
package io.github.tokenintrospection.internal.web;

import org.jspecify.annotations.NullMarked;
