/**
 * The reactive stack's pipeline stages: observation, retry, circuit breaker, cache lookup
 * and stale-if-error. Not API: may change in any release.
 */
@NullMarked
package io.github.tokenintrospection.internal.reactive;

import org.jspecify.annotations.NullMarked;
