package io.github.tokenintrospection.internal.jwt;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import com.github.benmanes.caffeine.cache.Ticker;
import io.github.tokenintrospection.IntrospectedToken;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The record of background introspections: one claim per token and period, a failed or
 * refused start given back, and an inactive answer remembered past the token's
 * {@code exp} whatever the period.
 */
class RevalidationTests {

	private static final Instant NOW = Instant.parse("2026-11-30T10:00:00Z");

	private static final Duration PERIOD = Duration.ofMinutes(1);

	private final AtomicLong nanos = new AtomicLong();

	private final Ticker ticker = this.nanos::get;

	private final Revalidation revalidation = new Revalidation(PERIOD, 100, Clock.fixed(NOW, ZoneOffset.UTC),
			this.ticker);

	private final IntrospectedToken verified = IntrospectedToken
		.active(Map.of("sub", "alice", "exp", NOW.plusSeconds(300)));

	@Test
	void claimWhenClaimedInThisPeriodThenFalseUntilThePeriodEnds() {
		assertThat(this.revalidation.claim("hash")).isTrue();
		assertThat(this.revalidation.claim("hash")).isFalse();
		assertThat(this.revalidation.claim("other")).isTrue();

		advance(PERIOD.minusSeconds(1));
		assertThat(this.revalidation.claim("hash")).isFalse();

		advance(Duration.ofSeconds(2));
		assertThat(this.revalidation.claim("hash")).isTrue();
	}

	@Test
	void claimWhenReleasedThenClaimedAgain() {
		assertThat(this.revalidation.claim("hash")).isTrue();

		this.revalidation.release("hash");

		assertThat(this.revalidation.claim("hash")).isTrue();
	}

	@Test
	void isRevokedWhenAnswerActiveThenFalse() {
		this.revalidation.claim("hash");

		this.revalidation.answered("hash", this.verified, IntrospectedToken.active(Map.of("sub", "alice")));

		assertThat(this.revalidation.isRevoked("hash")).isFalse();
	}

	@Test
	void isRevokedWhenAnswerInactiveThenTrueUntilAfterExpiryWhateverThePeriod() {
		this.revalidation.claim("hash");

		this.revalidation.answered("hash", this.verified, IntrospectedToken.inactive());

		assertThat(this.revalidation.isRevoked("hash")).isTrue();
		assertThat(this.revalidation.claim("hash")).isFalse();
		// Past the period and past exp plus any clock skew the validators allow.
		advance(Duration.ofMinutes(5).plus(Duration.ofHours(2)));
		assertThat(this.revalidation.isRevoked("hash")).isTrue();
	}

	@Test
	void releaseWhenRevokedThenStillRevoked() {
		this.revalidation.answered("hash", this.verified, IntrospectedToken.inactive());

		this.revalidation.release("hash");

		assertThat(this.revalidation.isRevoked("hash")).isTrue();
	}

	private void advance(Duration duration) {
		this.nanos.addAndGet(duration.toNanos());
	}

}
