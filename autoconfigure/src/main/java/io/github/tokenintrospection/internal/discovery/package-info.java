/**
 * Discovery of the introspection endpoint from the authorization server's metadata (RFC
 * 8414). Not API: may change in any release.
 */
@NullMarked
package io.github.tokenintrospection.internal.discovery;

import org.jspecify.annotations.NullMarked;
