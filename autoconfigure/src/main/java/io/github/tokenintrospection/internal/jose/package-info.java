/**
 * JOSE for the starter: the authorization server's keys and the verification of signed
 * introspection answers (RFC 9701), with Nimbus JOSE. Not API: may change in any release.
 */
@NullMarked
package io.github.tokenintrospection.internal.jose;

import org.jspecify.annotations.NullMarked;
