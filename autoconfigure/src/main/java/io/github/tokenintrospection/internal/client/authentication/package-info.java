/**
 * Client credentials obtained from the authorization server's token endpoint. Not API:
 * may change in any release.
 */
@NullMarked
package io.github.tokenintrospection.internal.client.authentication;

import org.jspecify.annotations.NullMarked;
