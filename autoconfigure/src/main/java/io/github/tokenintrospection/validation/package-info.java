/**
 * Validation of introspected claims (issuer, audience, timestamps, scope, token type).
 */
@NullMarked
package io.github.tokenintrospection.validation;

import org.jspecify.annotations.NullMarked;
