package io.github.tokenintrospection.internal.cache;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.github.tokenintrospection.IntrospectedToken;
import io.github.tokenintrospection.client.IntrospectionClient;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * The last answer the authorization server gave for each recently validated active token,
 * kept for the stale-if-error window after the server gave it, and never past the token's
 * {@code exp}. It outlives the cache's own TTL, so that
 * {@link StaleIfErrorIntrospectionClient} can fall back on it during an outage. Keyed by
 * the token's SHA-256 and bounded in size.
 * <p>
 * Entries are written only by {@link #recording(IntrospectionClient)}, which sits where
 * the server is actually called (beneath the cache), and dropped as soon as the server
 * calls the token inactive.
 */
public final class LastValidatedTokens {

	private final Cache<String, Validated> entries;

	private final Duration window;

	private final Clock clock;

	/**
	 * Creates a store.
	 * @param window how long after a successful introspection a result may still be used
	 * @param maximumSize the most tokens kept
	 * @param clock the wall clock that the window and {@code exp} are compared with
	 */
	public LastValidatedTokens(Duration window, long maximumSize, Clock clock) {
		Assert.isTrue(window != null && !window.isNegative() && !window.isZero(), "window must be positive");
		Assert.isTrue(maximumSize > 0, "maximumSize must be positive");
		Assert.notNull(clock, "clock must not be null");
		this.window = window;
		this.clock = clock;
		// The expiry only frees memory; get() checks window and exp against the clock
		// itself.
		this.entries = Caffeine.newBuilder()
			.maximumSize(maximumSize)
			.expireAfter(Expiry.<String, Validated>creating(
					(key, value) -> IntrospectionCaches.lifetime(window, value.token(), clock)))
			.build();
	}

	/**
	 * Decorates the client that calls the authorization server so that every answer
	 * updates this store.
	 * @param delegate the client that calls the server
	 * @return a client that records active answers and forgets tokens found inactive
	 */
	public IntrospectionClient recording(IntrospectionClient delegate) {
		Assert.notNull(delegate, "delegate must not be null");
		return (token) -> {
			IntrospectedToken result = delegate.introspect(token);
			record(token, result);
			return result;
		};
	}

	/**
	 * Records an answer of the authorization server: remembers an active result, forgets
	 * a token found inactive. {@link #recording(IntrospectionClient)} calls it for the
	 * blocking pipeline; the reactive one calls it on each answer.
	 * @param token the raw token
	 * @param result the server's answer
	 */
	public void record(String token, IntrospectedToken result) {
		String key = TokenHash.sha256Hex(token);
		if (result.isActive()) {
			this.entries.put(key, new Validated(result, this.clock.instant()));
		}
		else {
			this.entries.invalidate(key);
		}
	}

	/**
	 * Returns the last active result for a token, if it is recent enough and not expired.
	 * @param token the raw token
	 * @return the result, or {@code null}
	 */
	public @Nullable Validated get(String token) {
		Validated validated = this.entries.getIfPresent(TokenHash.sha256Hex(token));
		if (validated == null) {
			return null;
		}
		Instant now = this.clock.instant();
		if (validated.token().isExpiredAt(now) || now.isAfter(validated.validatedAt().plus(this.window))) {
			return null;
		}
		return validated;
	}

	/**
	 * Returns how many tokens are held, for tests and monitoring.
	 * @return the approximate number of entries
	 */
	public long size() {
		this.entries.cleanUp();
		return this.entries.estimatedSize();
	}

	/**
	 * An active result and when the authorization server gave it.
	 *
	 * @param token the result
	 * @param validatedAt when the server answered
	 */
	public record Validated(IntrospectedToken token, Instant validatedAt) {

	}

}
