/**
 * Calling the introspection endpoint: the request form, the strict response parser, and
 * the classification of failures. Not API: may change in any release.
 */
@NullMarked
package io.github.tokenintrospection.internal.client;

import org.jspecify.annotations.NullMarked;
