/**
 * Observing introspection: listener callbacks, Micrometer meters and observations, and
 * the audit trail.
 */
@NullMarked
package io.github.tokenintrospection.observation;

import org.jspecify.annotations.NullMarked;
