package io.github.tokenintrospection.internal.cache;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.tokenintrospection.IntrospectedToken;
import io.github.tokenintrospection.cache.IntrospectionCacheControl;
import io.github.tokenintrospection.client.AuthorizationServerUnavailableException;
import io.github.tokenintrospection.internal.cache.TokenLookup.Lookup;
import io.github.tokenintrospection.internal.resilience.CircuitOpenException;
import io.github.tokenintrospection.observation.CacheStatus;
import io.github.tokenintrospection.testsupport.MutableClock;
import org.junit.jupiter.api.Test;

import org.springframework.security.oauth2.server.resource.introspection.BadOpaqueTokenException;
import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The stale-if-error rule on its own: which failures it answers, with what, and who is
 * told.
 */
class StaleFallbackTests {

	private static final String TOKEN = "some-token";

	private static final IntrospectedToken ACTIVE = IntrospectedToken
		.active(Map.of("sub", "alice", "exp", Instant.parse("2030-01-01T01:00:00Z")));

	private final MutableClock clock = MutableClock.startingAt("2030-01-01T00:00:00Z");

	private final LastValidatedTokens lastValidated = new LastValidatedTokens(Duration.ofMinutes(10), 100, this.clock);

	private final List<Duration> told = new ArrayList<>();

	private final StaleFallback fallback = new StaleFallback(this.lastValidated,
			(token, age, failure) -> this.told.add(age), this.clock);

	private final OAuth2IntrospectionException unavailable = new AuthorizationServerUnavailableException(
			"connection refused", null, true, null);

	@Test
	void applyWhenServerUnavailableAndRecentResultThenStaleResultWithItsAge() {
		this.lastValidated.record(TOKEN, ACTIVE);
		this.clock.advance(Duration.ofSeconds(90));

		Lookup stale = this.fallback.apply(TOKEN, this.unavailable, null);

		assertThat(stale.token()).isSameAs(ACTIVE);
		assertThat(stale.cacheStatus()).isEqualTo(CacheStatus.STALE);
		assertThat(stale.fingerprint()).isEqualTo(IntrospectionCacheControl.fingerprint(TOKEN));
		assertThat(this.told).containsExactly(Duration.ofSeconds(90));
	}

	@Test
	void applyWhenRequestListenerGivenThenBothListenersAreTold() {
		this.lastValidated.record(TOKEN, ACTIVE);
		List<IntrospectedToken> alsoTold = new ArrayList<>();

		this.fallback.apply(TOKEN, this.unavailable, (token, age, failure) -> alsoTold.add(token));

		assertThat(this.told).hasSize(1);
		assertThat(alsoTold).containsExactly(ACTIVE);
	}

	@Test
	void applyWhenCircuitOpenThenStaleResultToo() {
		this.lastValidated.record(TOKEN, ACTIVE);

		Lookup stale = this.fallback.apply(TOKEN, new CircuitOpenException(Duration.ofSeconds(5)), null);

		assertThat(stale.token()).isSameAs(ACTIVE);
		assertThat(this.told).hasSize(1);
	}

	@Test
	void applyWhenNoResultRecordedThenRethrowsTheFailure() {
		assertThatExceptionOfType(OAuth2IntrospectionException.class)
			.isThrownBy(() -> this.fallback.apply(TOKEN, this.unavailable, null))
			.isSameAs(this.unavailable);
		assertThat(this.told).isEmpty();
	}

	@Test
	void applyWhenResultOlderThanWindowThenRethrowsTheFailure() {
		this.lastValidated.record(TOKEN, ACTIVE);
		this.clock.advance(Duration.ofMinutes(11));

		assertThatExceptionOfType(OAuth2IntrospectionException.class)
			.isThrownBy(() -> this.fallback.apply(TOKEN, this.unavailable, null))
			.isSameAs(this.unavailable);
		assertThat(this.told).isEmpty();
	}

	@Test
	void applyWhenTokenIsBadThenRethrowsEvenWithARecentResult() {
		this.lastValidated.record(TOKEN, ACTIVE);
		BadOpaqueTokenException bad = new BadOpaqueTokenException("Token is not active");

		assertThatExceptionOfType(BadOpaqueTokenException.class).isThrownBy(() -> this.fallback.apply(TOKEN, bad, null))
			.isSameAs(bad);
		assertThat(this.told).isEmpty();
	}

	@Test
	void applyWhenTokenFoundInactiveSinceThenRethrowsTheFailure() {
		this.lastValidated.record(TOKEN, ACTIVE);
		this.lastValidated.record(TOKEN, IntrospectedToken.inactive());

		assertThatExceptionOfType(OAuth2IntrospectionException.class)
			.isThrownBy(() -> this.fallback.apply(TOKEN, this.unavailable, null))
			.isSameAs(this.unavailable);
	}

}
