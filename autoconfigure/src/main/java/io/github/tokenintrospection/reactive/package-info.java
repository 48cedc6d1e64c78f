/**
 * The reactive (WebFlux) introspector: the same stages as the blocking one, built on the
 * same shared rules, differing only in how the authorization server is called
 * ({@code WebClient}) and how results are waited for ({@code Mono}).
 */
@NullMarked
package io.github.tokenintrospection.reactive;

import org.jspecify.annotations.NullMarked;
