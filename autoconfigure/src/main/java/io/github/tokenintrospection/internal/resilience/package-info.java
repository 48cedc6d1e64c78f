/**
 * Resilience of the calls to the authorization server: retry and circuit breaker. Not
 * API: may change in any release.
 */
@NullMarked
package io.github.tokenintrospection.internal.resilience;

import org.jspecify.annotations.NullMarked;
