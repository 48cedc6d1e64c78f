/**
 * Sender-constrained tokens: DPoP proofs (RFC 9449) checked before any lookup, and the
 * token's {@code cnf} (a DPoP key's or a client certificate's thumbprint) compared with
 * what the caller presented after it; the same rules for both stacks.
 */
@NullMarked
package io.github.tokenintrospection.internal.possession;

import org.jspecify.annotations.NullMarked;
