/**
 * The client that calls the authorization server's introspection endpoint and reads its
 * response.
 */
@NullMarked
package io.github.tokenintrospection.client;

import org.jspecify.annotations.NullMarked;
