/**
 * The health indicator of the authorization server. Not API: may change in any release.
 */
@NullMarked
package io.github.tokenintrospection.internal.actuate;

import org.jspecify.annotations.NullMarked;
