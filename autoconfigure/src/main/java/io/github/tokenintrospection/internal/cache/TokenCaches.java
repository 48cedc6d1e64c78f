package io.github.tokenintrospection.internal.cache;

import org.springframework.util.Assert;

/**
 * The two caches of introspection results, keyed by the SHA-256 of the token: active
 * tokens, and, separately bounded, inactive ones.
 *
 * @param active cache of active results
 * @param inactive cache of tokens known to be inactive
 */
public record TokenCaches(TokenCache active, TokenCache inactive) {

	/**
	 * Validates the caches.
	 */
	public TokenCaches {
		Assert.notNull(active, "active must not be null");
		Assert.notNull(inactive, "inactive must not be null");
	}

}
