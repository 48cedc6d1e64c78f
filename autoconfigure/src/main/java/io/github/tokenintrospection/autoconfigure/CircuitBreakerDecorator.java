package io.github.tokenintrospection.autoconfigure;

import io.github.tokenintrospection.pipeline.IntrospectionPipeline;

/**
 * Puts the circuit breaker into the servlet pipeline. A type of the starter's own, so
 * that the introspector's configuration never refers to Resilience4j, which may be
 * absent.
 */
@FunctionalInterface
interface CircuitBreakerDecorator {

	void addTo(IntrospectionPipeline.Builder pipeline);

}
