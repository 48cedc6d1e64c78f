/**
 * Choosing the authorization server of a request's token among several: by the request
 * (path, host, header), by a JWT's {@code iss}, and by an opt-in probe; the servlet and
 * reactive introspectors in front of the servers' pipelines.
 */
@NullMarked
package io.github.tokenintrospection.internal.routing;

import org.jspecify.annotations.NullMarked;
