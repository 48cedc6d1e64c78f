package io.github.tokenintrospection.autoconfigure;

import io.github.tokenintrospection.pipeline.IntrospectionPipeline;

/**
 * Puts the circuit breaker into the reactive pipeline; like
 * {@link CircuitBreakerDecorator}, so that the introspector's configuration never refers
 * to Resilience4j, which may be absent.
 */
@FunctionalInterface
interface ReactiveCircuitBreakerDecorator {

	void addTo(IntrospectionPipeline.Builder pipeline);

}
