/**
 * Revocation that arrives: Security Event Tokens (RFC 8417) of a Shared Signals
 * transmitter, received by push (RFC 8935), verified, and turned into evictions by user
 * or session. Stack-neutral; the servlet and WebFlux endpoints only carry bytes in and
 * out.
 */
@NullMarked
package io.github.tokenintrospection.internal.events;

import org.jspecify.annotations.NullMarked;
