/**
 * {@code @ServiceConnection} for a Keycloak Testcontainer: the connection details of the
 * introspection endpoint, taken from the running container and its imported realm. Not
 * API.
 */
@NullMarked
package io.github.tokenintrospection.internal.testcontainers;

import org.jspecify.annotations.NullMarked;
