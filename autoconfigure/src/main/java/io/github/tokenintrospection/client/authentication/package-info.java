/**
 * How the introspection client authenticates to the authorization server (client secret,
 * JWT client assertion, client-credentials bearer token).
 */
@NullMarked
package io.github.tokenintrospection.client.authentication;

import org.jspecify.annotations.NullMarked;
