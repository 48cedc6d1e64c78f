package io.github.tokenintrospection.cache;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.tokenintrospection.IntrospectedToken;
import io.github.tokenintrospection.internal.cache.CachingIntrospectionClient;
import io.github.tokenintrospection.internal.cache.CaffeineEntries;
import io.github.tokenintrospection.internal.cache.IntrospectionCaches;
import io.github.tokenintrospection.internal.cache.TokenCache;
import io.github.tokenintrospection.internal.cache.TokenCacheControl;
import io.github.tokenintrospection.internal.cache.TokenHash;
import io.github.tokenintrospection.observation.CacheStatus;
import io.github.tokenintrospection.testsupport.MutableClock;
import org.junit.jupiter.api.Test;

import org.springframework.cache.concurrent.ConcurrentMapCache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.entry;

class IntrospectionCacheControlTests {

	private static final Set<String> INACTIVE_TOKENS = Set.of("revoked-1", "revoked-2");

	private final MutableClock clock = MutableClock.startingAt("2030-01-01T00:00:00Z");

	private final AtomicInteger serverCalls = new AtomicInteger();

	private TokenCache activeCache = IntrospectionCaches.activeTokens(Duration.ofMinutes(5), 100, this.clock);

	private TokenCache inactiveCache = IntrospectionCaches.inactiveTokens(Duration.ofSeconds(30), 100);

	@Test
	void fingerprintThenFirstTwelveHexCharactersOfSha256() throws Exception {
		String sha256 = HexFormat.of()
			.formatHex(MessageDigest.getInstance("SHA-256").digest("token-1".getBytes(StandardCharsets.UTF_8)));

		assertThat(IntrospectionCacheControl.fingerprint("token-1")).isEqualTo(sha256.substring(0, 12))
			.matches("[0-9a-f]{12}");
		assertThat(IntrospectionCacheControl.fingerprint("token-2"))
			.isNotEqualTo(IntrospectionCacheControl.fingerprint("token-1"));
	}

	@Test
	void evictWhenActiveTokenCachedThenNextLookupIsMissAndAsksServerAgain() {
		CachingIntrospectionClient client = client();
		IntrospectionCacheControl control = control();
		assertThat(client.lookup("token-1").cacheStatus()).isEqualTo(CacheStatus.MISS);
		assertThat(client.lookup("token-1").cacheStatus()).isEqualTo(CacheStatus.HIT);

		control.evict("token-1");

		assertThat(client.lookup("token-1").cacheStatus()).isEqualTo(CacheStatus.MISS);
		assertThat(this.serverCalls).hasValue(2);
	}

	@Test
	void evictWhenInactiveTokenCachedThenNextLookupAsksServerAgain() {
		CachingIntrospectionClient client = client();
		IntrospectionCacheControl control = control();
		assertThat(client.lookup("revoked-1").cacheStatus()).isEqualTo(CacheStatus.MISS);
		assertThat(client.lookup("revoked-1").cacheStatus()).isEqualTo(CacheStatus.NEGATIVE_HIT);

		control.evict("revoked-1");

		assertThat(client.lookup("revoked-1").cacheStatus()).isEqualTo(CacheStatus.MISS);
		assertThat(this.serverCalls).hasValue(2);
	}

	@Test
	void evictWhenTokenInBothCachesThenRemovedFromBothAndOtherTokensKept() {
		String key = TokenHash.sha256Hex("token-1");
		this.activeCache.put(key, IntrospectedToken.active(Map.of("sub", "alice")));
		this.inactiveCache.put(key, IntrospectedToken.inactive());
		this.activeCache.put(TokenHash.sha256Hex("token-2"), IntrospectedToken.active(Map.of("sub", "bob")));

		control().evict("token-1");

		assertThat(this.activeCache.get(key)).isNull();
		assertThat(this.inactiveCache.get(key)).isNull();
		assertThat(this.activeCache.get(TokenHash.sha256Hex("token-2"))).isNotNull();
	}

	@Test
	void evictWhenNoSharedCacheThenReportsThisInstanceOnlyAndWhetherTheTokenWasCached() {
		CachingIntrospectionClient client = client();
		IntrospectionCacheControl control = control();
		client.lookup("token-1");
		client.lookup("revoked-1");

		CacheEviction cached = control.evict("token-1");
		CacheEviction cachedInactive = control.evict("revoked-1");
		CacheEviction notCached = control.evict("token-2");

		assertThat(cached.evicted()).isEqualTo(1);
		assertThat(cachedInactive.evicted()).isEqualTo(1);
		assertThat(notCached.evicted()).isZero();
		assertThat(cached.scope()).isEqualTo(CacheEviction.Scope.THIS_INSTANCE_ONLY);
		assertThat(cached.reachedAllInstances()).isFalse();
		assertThat(cached.reason()).contains("no shared cache");
		assertThat(control.evictAll().scope()).isEqualTo(CacheEviction.Scope.THIS_INSTANCE_ONLY);
		assertThat(control.evictByFingerprint(otherFingerprintThan("token-1")).scope())
			.isEqualTo(CacheEviction.Scope.THIS_INSTANCE_ONLY);
	}

	@Test
	void evictWhenTokenEmptyThenRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> control().evict(""));
	}

	@Test
	void evictByFingerprintWhenMatchingActiveTokenThenOnlyThatTokenEvictedAndCountIsOne() {
		CachingIntrospectionClient client = client();
		IntrospectionCacheControl control = control();
		client.lookup("token-1");
		client.lookup("token-2");
		client.lookup("revoked-1");
		assertThat(this.serverCalls).hasValue(3);

		CacheEviction eviction = control.evictByFingerprint(IntrospectionCacheControl.fingerprint("token-1"));

		assertThat(eviction.evicted()).isEqualTo(1);
		assertThat(client.lookup("token-2").cacheStatus()).isEqualTo(CacheStatus.HIT);
		assertThat(client.lookup("revoked-1").cacheStatus()).isEqualTo(CacheStatus.NEGATIVE_HIT);
		assertThat(this.serverCalls).hasValue(3);
		assertThat(client.lookup("token-1").cacheStatus()).isEqualTo(CacheStatus.MISS);
		assertThat(this.serverCalls).hasValue(4);
	}

	@Test
	void evictByFingerprintWhenMatchingInactiveTokenThenEvictedFromNegativeCache() {
		CachingIntrospectionClient client = client();
		client.lookup("revoked-1");
		client.lookup("revoked-2");

		assertThat(control().evictByFingerprint(IntrospectionCacheControl.fingerprint("revoked-2")).evicted())
			.isEqualTo(1);

		assertThat(client.lookup("revoked-1").cacheStatus()).isEqualTo(CacheStatus.NEGATIVE_HIT);
		assertThat(client.lookup("revoked-2").cacheStatus()).isEqualTo(CacheStatus.MISS);
	}

	@Test
	void evictByFingerprintWhenUpperCaseOrFullHashThenSameTokenEvicted() {
		CachingIntrospectionClient client = client();
		client.lookup("token-1");
		client.lookup("token-2");
		IntrospectionCacheControl control = control();

		assertThat(control.evictByFingerprint(IntrospectionCacheControl.fingerprint("token-1").toUpperCase()).evicted())
			.isEqualTo(1);
		assertThat(control.evictByFingerprint(TokenHash.sha256Hex("token-2")).evicted()).isEqualTo(1);
		assertThat(this.activeCache.get(TokenHash.sha256Hex("token-1"))).isNull();
		assertThat(this.activeCache.get(TokenHash.sha256Hex("token-2"))).isNull();
	}

	@Test
	void evictByFingerprintWhenNothingMatchesThenZero() {
		client().lookup("token-1");

		assertThat(control().evictByFingerprint(otherFingerprintThan("token-1")).evicted()).isZero();
		assertThat(this.activeCache.get(TokenHash.sha256Hex("token-1"))).isNotNull();
	}

	@Test
	void evictByFingerprintWhenTooShortThenRejectedAndNothingEvicted() {
		client().lookup("token-1");
		String elevenCharacters = IntrospectionCacheControl.fingerprint("token-1").substring(0, 11);

		assertThatIllegalArgumentException().isThrownBy(() -> control().evictByFingerprint(elevenCharacters))
			.withMessageContaining("at least 12 hexadecimal characters");
		assertThatIllegalArgumentException().isThrownBy(() -> control().evictByFingerprint(""));
		assertThatIllegalArgumentException().isThrownBy(() -> control().evictByFingerprint(null));
		assertThat(this.activeCache.get(TokenHash.sha256Hex("token-1"))).isNotNull();
	}

	@Test
	void evictByFingerprintWhenNotHexadecimalThenRejected() {
		IntrospectionCacheControl control = control();

		assertThatIllegalArgumentException().isThrownBy(() -> control.evictByFingerprint("0123456789ag"));
		assertThatIllegalArgumentException().isThrownBy(() -> control.evictByFingerprint("token-1-abcd"));
		assertThatIllegalArgumentException().isThrownBy(() -> control.evictByFingerprint("0123456789ab "));
		// Digits of other scripts are digits, but not hexadecimal.
		assertThatIllegalArgumentException().isThrownBy(
				() -> control.evictByFingerprint("\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669ab"));
		assertThatIllegalArgumentException().isThrownBy(() -> control
			.evictByFingerprint("\uff10\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff41\uff42\uff43\uff44"));
	}

	@Test
	void evictByFingerprintWhenApplicationCacheIsNotCaffeineThenUnsupported() {
		this.activeCache = IntrospectionCaches.applicationCache(new ConcurrentMapCache("tokens"));
		client().lookup("token-1");

		assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> control().evictByFingerprint(IntrospectionCacheControl.fingerprint("token-1")))
			.withMessageContaining("tokens");
	}

	@Test
	void evictWhenApplicationCacheIsNotCaffeineThenStillWorks() {
		this.activeCache = IntrospectionCaches.applicationCache(new ConcurrentMapCache("tokens"));
		CachingIntrospectionClient client = client();
		client.lookup("token-1");

		control().evict("token-1");

		assertThat(client.lookup("token-1").cacheStatus()).isEqualTo(CacheStatus.MISS);
		assertThat(this.serverCalls).hasValue(2);
	}

	@Test
	void evictAllThenBothCachesEmptyAndEveryTokenAsksServerAgain() {
		CachingIntrospectionClient client = client();
		client.lookup("token-1");
		client.lookup("token-2");
		client.lookup("revoked-1");
		IntrospectionCacheControl control = control();
		assertThat(control.statistics().get("active")).containsEntry("size", 2L);
		assertThat(control.statistics().get("inactive")).containsEntry("size", 1L);

		assertThat(control.evictAll().evicted()).isEqualTo(3);

		assertThat(control.statistics().get("active")).containsEntry("size", 0L);
		assertThat(control.statistics().get("inactive")).containsEntry("size", 0L);
		assertThat(client.lookup("token-1").cacheStatus()).isEqualTo(CacheStatus.MISS);
		assertThat(client.lookup("token-2").cacheStatus()).isEqualTo(CacheStatus.MISS);
		assertThat(client.lookup("revoked-1").cacheStatus()).isEqualTo(CacheStatus.MISS);
		assertThat(this.serverCalls).hasValue(6);
	}

	@Test
	void statisticsWhenTenLookupsOfOneActiveTokenThenOneMissNineHits() {
		CachingIntrospectionClient client = client();

		for (int i = 0; i < 10; i++) {
			client.lookup("token-1");
		}

		assertThat(this.serverCalls).hasValue(1);
		Map<String, Map<String, Object>> statistics = control().statistics();
		assertThat(statistics).containsOnlyKeys("active", "inactive");
		assertThat(statistics.get("active")).containsExactly(entry("name", IntrospectionCaches.ACTIVE_CACHE_NAME),
				entry("size", 1L), entry("hits", 9L), entry("misses", 1L), entry("evictions", 0L));
		// The nine hits are served before the negative cache is asked (the hit path);
		// the first lookup asks it, and the single load once more (in case a concurrent
		// request found the token inactive meanwhile).
		assertThat(statistics.get("inactive")).containsExactly(entry("name", IntrospectionCaches.INACTIVE_CACHE_NAME),
				entry("size", 0L), entry("hits", 0L), entry("misses", 2L), entry("evictions", 0L));
	}

	@Test
	void statisticsWhenInactiveTokenLookedUpThreeTimesThenTwoNegativeHits() {
		CachingIntrospectionClient client = client();

		for (int i = 0; i < 3; i++) {
			client.lookup("revoked-1");
		}

		assertThat(this.serverCalls).hasValue(1);
		Map<String, Map<String, Object>> statistics = control().statistics();
		assertThat(statistics.get("inactive")).contains(entry("size", 1L), entry("hits", 2L), entry("misses", 2L));
		// Only the first lookup got past the negative cache; it left the active cache
		// empty.
		assertThat(statistics.get("active")).contains(entry("size", 0L), entry("hits", 0L), entry("misses", 1L));
	}

	@Test
	void statisticsWhenApplicationCacheIsNotCaffeineThenOnlyItsName() {
		this.activeCache = IntrospectionCaches.applicationCache(new ConcurrentMapCache("tokens"));

		Map<String, Map<String, Object>> statistics = control().statistics();

		assertThat(statistics.get("active")).containsExactly(entry("name", "tokens"));
		assertThat(statistics.get("inactive")).containsKeys("size", "hits", "misses", "evictions");
	}

	@Test
	void statisticsWhenMaximumSizeExceededThenEvictionsCounted() {
		this.activeCache = IntrospectionCaches.activeTokens(Duration.ofMinutes(5), 1, this.clock);
		CachingIntrospectionClient client = client();
		client.lookup("token-1");
		client.lookup("token-2");
		CaffeineEntries.of(this.activeCache).cleanUp();

		assertThat(control().statistics().get("active")).contains(entry("size", 1L), entry("evictions", 1L));
	}

	private CachingIntrospectionClient client() {
		return new CachingIntrospectionClient((token) -> {
			this.serverCalls.incrementAndGet();
			return INACTIVE_TOKENS.contains(token) ? IntrospectedToken.inactive()
					: IntrospectedToken.active(Map.of("sub", token));
		}, this.activeCache, this.inactiveCache, this.clock);
	}

	private IntrospectionCacheControl control() {
		return new TokenCacheControl(this.activeCache, this.inactiveCache);
	}

	private static String otherFingerprintThan(String token) {
		String fingerprint = IntrospectionCacheControl.fingerprint(token);
		char first = (fingerprint.charAt(0) == '0') ? '1' : '0';
		return first + fingerprint.substring(1);
	}

}
