package io.github.tokenintrospection.internal.cache;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import io.github.tokenintrospection.IntrospectedToken;
import io.github.tokenintrospection.cache.IntrospectionCacheControl;
import io.github.tokenintrospection.internal.cache.TokenLookup.Lookup;
import io.github.tokenintrospection.observation.CacheStatus;
import io.github.tokenintrospection.testsupport.MutableClock;
import org.junit.jupiter.api.Test;

import org.springframework.cache.concurrent.ConcurrentMapCache;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cache rules both lookups share: a plain map (an application's cache adapter over a
 * {@code ConcurrentMapCache}) for the active cache, the starter's own inactive cache.
 */
class TokenCachePolicyTests {

	private static final String TOKEN = "some-token";

	private final MutableClock clock = MutableClock.startingAt("2030-01-01T00:00:00Z");

	private final TokenCache activeTokens = IntrospectionCaches.applicationCache(new ConcurrentMapCache("active"));

	private final TokenCache inactiveTokens = IntrospectionCaches.inactiveTokens(Duration.ofSeconds(10), 100);

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
		IntrospectedToken admitted = this.policy.admit(this.key, IntrospectedToken.inactive());

		assertThat(admitted.isActive()).isFalse();
		assertThat(this.inactiveTokens.get(this.key)).isNotNull();
		assertThat(this.activeTokens.get(this.key)).isNull();
		assertThat(this.policy.negativeHit(this.key)).isNotNull();
		assertThat(this.policy.knownInactive(this.key)).isTrue();
	}

	@Test
	void negativeHitWhenTokenNotKnownInactiveThenNull() {
		assertThat(this.policy.negativeHit(this.key)).isNull();
		assertThat(this.policy.knownInactive(this.key)).isFalse();
	}

	@Test
	void negativeHitWhenTokenKnownInactiveThenInactiveNegativeHitWithFingerprint() {
		this.inactiveTokens.put(this.key, IntrospectedToken.inactive());

		Lookup hit = this.policy.negativeHit(this.key);

		assertThat(hit.token().isActive()).isFalse();
		assertThat(hit.cacheStatus()).isEqualTo(CacheStatus.NEGATIVE_HIT);
		assertThat(hit.fingerprint()).isEqualTo(IntrospectionCacheControl.fingerprint(TOKEN));
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
