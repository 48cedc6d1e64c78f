/**
 * Local verification of JWT access tokens with the authorization server's published keys
 * (JWKS), and the routing that decides which tokens are verified here and which are
 * introspected. Not API: may change in any release.
 */
@NullMarked
package io.github.tokenintrospection.internal.jwt;

import org.jspecify.annotations.NullMarked;
