/**
 * Actuator support: the health indicator and the token-introspection endpoint.
 */
@NullMarked
package io.github.tokenintrospection.actuate;

import org.jspecify.annotations.NullMarked;
