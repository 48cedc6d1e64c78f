package io.github.tokenintrospection.internal.jwt;

import java.time.Clock;
import java.time.Duration;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.github.tokenintrospection.IntrospectedToken;
import io.github.tokenintrospection.internal.cache.IntrospectionCaches;
import io.github.tokenintrospection.internal.cache.TokenHash;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * JWTs already verified locally, by the SHA-256 of the token (never the token), for at
 * most the cache's time to live and never past {@code exp}: verifying an RS256 signature
 * costs about a hundred times a cache lookup (see docs/benchmarks.md), and a client sends
 * the same token with every request. The claims are still validated on every request, as
 * for a cached introspection result.
 */
public final class VerifiedJwts {

	private final Cache<String, IntrospectedToken> cache;

	/**
	 * Creates the cache.
	 * @param ttl the longest time a verified token is kept
	 * @param maximumSize the most tokens kept
	 * @param clock the wall clock that {@code exp} is compared with
	 */
	public VerifiedJwts(Duration ttl, long maximumSize, Clock clock) {
		Assert.isTrue(ttl != null && !ttl.isNegative() && !ttl.isZero(), "ttl must be positive");
		Assert.isTrue(maximumSize > 0, "maximumSize must be positive");
		Assert.notNull(clock, "clock must not be null");
		this.cache = Caffeine.newBuilder()
			.maximumSize(maximumSize)
			.expireAfter(Expiry
				.<String, IntrospectedToken>creating((hash, token) -> IntrospectionCaches.lifetime(ttl, token, clock)))
			.build();
	}

	/**
	 * Returns a verified token's claims.
	 * @param sha256Hex the token's hash ({@link TokenHash#sha256Hex(String)})
	 * @return the claims, or {@code null} when the token was not verified recently
	 */
	@Nullable IntrospectedToken get(String sha256Hex) {
		return this.cache.getIfPresent(sha256Hex);
	}

	void put(String sha256Hex, IntrospectedToken token) {
		this.cache.put(sha256Hex, token);
	}

}
