package io.github.tokenintrospection.autoconfigure;

import io.github.tokenintrospection.reactive.ReactiveIntrospectionClient;

/**
 * Puts the circuit breaker around the reactive client that calls the authorization server;
 * like {@link CircuitBreakerDecorator}, so that the introspector's configuration never
 * refers to Resilience4j, which may be absent.
 */
@FunctionalInterface
interface ReactiveCircuitBreakerDecorator {

	ReactiveIntrospectionClient decorate(ReactiveIntrospectionClient client);

}
