/**
 * The reactive (WebFlux) introspector: the same stages as the blocking one, built on the
 * same shared rules, differing only in how the authorization server is called
 * ({@code WebClient}) and how results are waited for ({@code Mono}).
 */
package io.github.tokenintrospection.reactive;
