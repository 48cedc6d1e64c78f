/**
 * Resilience of the calls to the authorization server: retry and circuit breaker.
 */
@NullMarked
package io.github.tokenintrospection.resilience;

import org.jspecify.annotations.NullMarked;
