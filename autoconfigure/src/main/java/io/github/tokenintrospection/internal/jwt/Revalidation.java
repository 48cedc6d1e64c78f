package io.github.tokenintrospection.internal.jwt;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import io.github.tokenintrospection.IntrospectedToken;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Background re-introspection of locally verified JWTs
 * ({@code token-introspection.jwt.revalidate-after}), so that a revocation at the
 * authorization server still ends a locally accepted token's life. Keyed by the SHA-256
 * of the token, never the token.
 * <p>
 * A token is introspected in the background when first accepted locally, then on its
 * first use after each period; no request waits for it. An inactive answer is remembered
 * until the token's {@code exp}: from then on the token is introspected on each request
 * (the introspection cache answers), which refuses it. A failed call leaves the token
 * accepted locally until the next period, so that an outage does not become a flood of
 * calls.
 */
public final class Revalidation {

	/**
	 * How long an inactive answer is remembered after the token's {@code exp}: longer
	 * than any clock skew the validators allow, so that a revoked token cannot come back.
	 */
	private static final Duration REVOKED_AFTER_EXPIRY = Duration.ofDays(1);

	private final Duration period;

	private final Cache<String, State> states;

	/**
	 * Creates the record of revalidations.
	 * @param period how often a used token is introspected again
	 * @param maximumSize the most tokens remembered
	 * @param clock the wall clock that {@code exp} is compared with
	 * @param ticker the time source of the periods
	 */
	public Revalidation(Duration period, long maximumSize, Clock clock, Ticker ticker) {
		Assert.isTrue(period != null && !period.isNegative() && !period.isZero(), "period must be positive");
		Assert.isTrue(maximumSize > 0, "maximumSize must be positive");
		Assert.notNull(clock, "clock must not be null");
		Assert.notNull(ticker, "ticker must not be null");
		this.period = period;
		this.states = Caffeine.newBuilder()
			.maximumSize(maximumSize)
			.ticker(ticker)
			.expireAfter(Expiry.<String, State>writing((hash, state) -> state.lifetime(clock)))
			.build();
	}

	/**
	 * Whether the authorization server said that the token is no longer active.
	 * @param sha256Hex the token's hash
	 * @return whether it must be introspected instead of accepted locally
	 */
	public boolean isRevoked(String sha256Hex) {
		return this.states.getIfPresent(sha256Hex) instanceof Revoked;
	}

	/**
	 * Claims the token's revalidation when one is due: true at most once per period per
	 * token. The caller then introspects it in the background and reports the answer with
	 * {@link #answered(String, IntrospectedToken, IntrospectedToken)}.
	 * @param sha256Hex the token's hash
	 * @return whether the caller must introspect the token now
	 */
	public boolean claim(String sha256Hex) {
		return this.states.asMap().putIfAbsent(sha256Hex, new Checked(this.period)) == null;
	}

	/**
	 * Gives a claim back when the background work could not even start.
	 * @param sha256Hex the token's hash
	 */
	public void release(String sha256Hex) {
		this.states.asMap().computeIfPresent(sha256Hex, (hash, state) -> (state instanceof Checked) ? null : state);
	}

	/**
	 * Records the authorization server's answer for a locally verified token.
	 * @param sha256Hex the token's hash
	 * @param verified the locally verified claims (their {@code exp} bounds how long a
	 * revocation is remembered)
	 * @param answer the introspection answer
	 */
	public void answered(String sha256Hex, IntrospectedToken verified, IntrospectedToken answer) {
		if (!answer.isActive()) {
			this.states.put(sha256Hex, new Revoked(verified.expiresAt()));
		}
	}

	private sealed interface State permits Checked, Revoked {

		Duration lifetime(Clock clock);

	}

	/** Introspected (or being introspected) in this period. */
	private record Checked(Duration period) implements State {

		@Override
		public Duration lifetime(Clock clock) {
			return this.period;
		}

	}

	/** Inactive at the server: kept until the token expires anyway. */
	private record Revoked(@Nullable Instant expiresAt) implements State {

		@Override
		public Duration lifetime(Clock clock) {
			Duration untilExpiry = (this.expiresAt != null) ? Duration.between(clock.instant(), this.expiresAt)
					: Duration.ZERO;
			return (untilExpiry.isNegative() ? Duration.ZERO : untilExpiry).plus(REVOKED_AFTER_EXPIRY);
		}

	}

}
