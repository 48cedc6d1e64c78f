package io.github.tokenintrospection.cache;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import io.github.tokenintrospection.IntrospectedToken;
import io.github.tokenintrospection.cache.TokenCachePolicy.Uncacheable;
import io.github.tokenintrospection.cache.TokenLookup.Lookup;
import io.github.tokenintrospection.observation.CacheStatus;
import io.github.tokenintrospection.testsupport.MutableClock;
import org.junit.jupiter.api.Test;

import org.springframework.cache.Cache;
import org.springframework.cache.concurrent.ConcurrentMapCache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The cache rules both lookups share, without a cache implementation in between: plain
 * maps stand for the active and inactive caches.
 */
class TokenCachePolicyTests {

	private static final String TOKEN = "some-token";

	private final MutableClock clock = MutableClock.startingAt("2030-01-01T00:00:00Z");

	private final Cache activeTokens = new ConcurrentMapCache("active");

	private final Cache inactiveTokens = new ConcurrentMapCache("inactive");

	private final TokenCachePolicy policy = new TokenCachePolicy(this.activeTokens, this.inactiveTokens, this.clock);

	private final String key = this.policy.key(TOKEN);

	@Test
	void keyWhenTokenGivenThenIsItsSha256NotTheToken() {
		assertThat(this.key).isEqualTo(TokenHash.sha256Hex(TOKEN)).doesNotContain(TOKEN).hasSize(64);
	}

	@Test
	void admitWhenActiveThenReturnsTheResultAndLeavesInactiveCacheAlone() {
		IntrospectedToken active = activeUntil("2030-01-01T01:00:00Z");

		assertThat(this.policy.admit(this.key, active)).isSameAs(active);
		assertThat(this.inactiveTokens.get(this.key)).isNull();
	}

	@Test
	void admitWhenInactiveThenRemembersItInInactiveCacheOnly() {
		Object admitted = this.policy.admit(this.key, IntrospectedToken.inactive());

		assertThat(admitted).isSameAs(Uncacheable.INACTIVE);
		assertThat(this.inactiveTokens.get(this.key)).isNotNull();
		assertThat(this.policy.negativeHit(this.key)).isNotNull();
		assertThat(this.policy.knownInactive(this.key)).isSameAs(Uncacheable.INACTIVE);
	}

	@Test
	void negativeHitWhenTokenNotKnownInactiveThenNull() {
		assertThat(this.policy.negativeHit(this.key)).isNull();
		assertThat(this.policy.knownInactive(this.key)).isNull();
	}

	@Test
	void negativeHitWhenTokenKnownInactiveThenInactiveNegativeHitWithFingerprint() {
		this.inactiveTokens.put(this.key, Boolean.TRUE);

		Lookup hit = this.policy.negativeHit(this.key);

		assertThat(hit.token().isActive()).isFalse();
		assertThat(hit.cacheStatus()).isEqualTo(CacheStatus.NEGATIVE_HIT);
		assertThat(hit.fingerprint()).isEqualTo(IntrospectionCacheControl.fingerprint(TOKEN));
	}

	@Test
	void resolveWhenActiveTokenThenReturnsItAndKeepsTheEntry() {
		IntrospectedToken active = activeUntil("2030-01-01T01:00:00Z");
		this.activeTokens.put(this.key, active);

		assertThat(this.policy.resolve(this.key, active)).isSameAs(active);
		assertThat(this.activeTokens.get(this.key)).isNotNull();
	}

	@Test
	void resolveWhenInactiveOutcomeThenInactiveAndEvictedFromActiveCache() {
		this.activeTokens.put(this.key, Uncacheable.INACTIVE);

		IntrospectedToken resolved = this.policy.resolve(this.key, Uncacheable.INACTIVE);

		assertThat(resolved.isActive()).isFalse();
		assertThat(this.activeTokens.get(this.key)).isNull();
	}

	@Test
	void resolveWhenFailedLoadThenThrowsTheFailureAndNothingStays() {
		IllegalStateException failure = new IllegalStateException("server down");
		Object failed = this.policy.failed(failure);
		this.activeTokens.put(this.key, failed);

		assertThatIllegalStateException().isThrownBy(() -> this.policy.resolve(this.key, failed)).isSameAs(failure);
		assertThat(this.activeTokens.get(this.key)).isNull();
	}

	@Test
	void mustReloadWhenCachedEntryPastExpThenTrueAndEvicted() {
		IntrospectedToken active = activeUntil("2030-01-01T00:01:00Z");
		this.activeTokens.put(this.key, active);

		assertThat(this.policy.mustReload(this.key, active, false)).isFalse();
		assertThat(this.activeTokens.get(this.key)).isNotNull();

		this.clock.advance(Duration.ofMinutes(2));

		assertThat(this.policy.mustReload(this.key, active, false)).isTrue();
		assertThat(this.activeTokens.get(this.key)).isNull();
	}

	@Test
	void mustReloadWhenJustLoadedThenFalseEvenPastExp() {
		IntrospectedToken expired = activeUntil("2029-12-31T23:00:00Z");
		this.activeTokens.put(this.key, expired);

		assertThat(this.policy.mustReload(this.key, expired, true)).isFalse();
		assertThat(this.activeTokens.get(this.key)).isNotNull();
	}

	@Test
	void lookupWhenLoadedThenMissForTheCallerThatAsked() {
		IntrospectedToken active = activeUntil("2030-01-01T01:00:00Z");

		Lookup lookup = this.policy.lookup(this.key, active, true);

		assertThat(lookup.cacheStatus()).isEqualTo(CacheStatus.MISS);
		assertThat(lookup.token()).isSameAs(active);
		assertThat(lookup.fingerprint()).isEqualTo(IntrospectionCacheControl.fingerprint(TOKEN));
	}

	@Test
	void lookupWhenNotLoadedThenHitForActiveAndNegativeHitForInactive() {
		assertThat(this.policy.lookup(this.key, activeUntil("2030-01-01T01:00:00Z"), false).cacheStatus())
			.isEqualTo(CacheStatus.HIT);
		assertThat(this.policy.lookup(this.key, IntrospectedToken.inactive(), false).cacheStatus())
			.isEqualTo(CacheStatus.NEGATIVE_HIT);
	}

	private static IntrospectedToken activeUntil(String instant) {
		return IntrospectedToken.active(Map.of("sub", "alice", "exp", Instant.parse(instant)));
	}

}
