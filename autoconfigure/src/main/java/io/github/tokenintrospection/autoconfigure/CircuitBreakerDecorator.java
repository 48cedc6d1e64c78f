package io.github.tokenintrospection.autoconfigure;

import io.github.tokenintrospection.client.IntrospectionClient;

/**
 * Puts the circuit breaker around the client that calls the authorization server. A type of
 * the starter's own, so that the introspector's configuration never refers to Resilience4j,
 * which may be absent.
 */
@FunctionalInterface
interface CircuitBreakerDecorator {

	IntrospectionClient decorate(IntrospectionClient client);

}
