/**
 * Discovery of the introspection endpoint from the authorization server's metadata
 * (RFC 8414).
 */
@NullMarked
package io.github.tokenintrospection.discovery;

import org.jspecify.annotations.NullMarked;
