package io.github.tokenintrospection.actuate;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import io.github.tokenintrospection.IntrospectedToken;
import io.github.tokenintrospection.cache.CacheEviction;
import io.github.tokenintrospection.cache.IntrospectionCacheControl;
import io.github.tokenintrospection.internal.cache.CachingIntrospectionClient;
import io.github.tokenintrospection.internal.cache.IntrospectionCaches;
import io.github.tokenintrospection.internal.cache.TokenCache;
import io.github.tokenintrospection.internal.cache.TokenCacheControl;
import io.github.tokenintrospection.observation.CacheStatus;
import io.github.tokenintrospection.testsupport.MutableClock;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.TestingAuthenticationToken;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.entry;

class TokenIntrospectionEndpointTests {

	private final MutableClock clock = MutableClock.startingAt("2030-01-01T00:00:00Z");

	private final TokenCache activeCache = IntrospectionCaches.activeTokens(Duration.ofMinutes(5), 100, this.clock);

	private final TokenCache inactiveCache = IntrospectionCaches.inactiveTokens(Duration.ofSeconds(30), 100);

	private final AtomicInteger serverCalls = new AtomicInteger();

	private static final String WRITE_AUTHORITY = "SCOPE_token-introspection:manage";

	private static final SecurityContext ADMIN = caller(
			new TestingAuthenticationToken("operator", "n/a", WRITE_AUTHORITY, "SCOPE_orders:read"));

	/**
	 * Tokens {@code <user>.<session>.<n>}: answers with that {@code sub} and {@code sid}.
	 */
	private final CachingIntrospectionClient client = new CachingIntrospectionClient((token) -> {
		this.serverCalls.incrementAndGet();
		if (token.startsWith("revoked")) {
			return IntrospectedToken.inactive();
		}
		String[] parts = token.split("\\.");
		return (parts.length == 3) ? IntrospectedToken.active(Map.of("sub", parts[0], "sid", parts[1]))
				: IntrospectedToken.active(Map.of("sub", token));
	}, this.activeCache, this.inactiveCache, this.clock);

	private final TokenIntrospectionEndpoint endpoint = new TokenIntrospectionEndpoint(
			new TokenCacheControl(this.activeCache, this.inactiveCache), WRITE_AUTHORITY);

	@Test
	void evictWhenHttpCallerHasOnlyOrdinaryScopeThenAccessDeniedAndNothingEvicted() {
		this.client.lookup("token-1");
		SecurityContext reader = caller(new TestingAuthenticationToken("reader", "n/a", "SCOPE_orders:read"));

		assertThatExceptionOfType(AccessDeniedException.class)
			.isThrownBy(() -> this.endpoint.evict(reader, "token-1", null, null, null))
			.withMessageContaining(WRITE_AUTHORITY)
			.withMessageContaining("token-introspection.endpoint.write-authority");
		assertThatExceptionOfType(AccessDeniedException.class).isThrownBy(() -> this.endpoint.evictAll(reader));
		assertThat(this.client.lookup("token-1").cacheStatus()).isEqualTo(CacheStatus.HIT);
	}

	@Test
	void evictWhenHttpCallerUnauthenticatedThenAccessDenied() {
		assertThatExceptionOfType(AccessDeniedException.class).isThrownBy(() -> this.endpoint.evictAll(caller(null)));
	}

	@Test
	void evictWhenNotAnHttpCallThenJmxAccessControlApplies() {
		this.client.lookup("token-1");

		assertThat(this.endpoint.evict(SecurityContext.NONE, "token-1", null, null, null)).containsEntry("evicted", 1);
	}

	@Test
	void endpointThenIdTokenintrospectionAndNoAccessByDefault() {
		Endpoint endpoint = MergedAnnotations.from(TokenIntrospectionEndpoint.class).get(Endpoint.class).synthesize();

		assertThat(endpoint.id()).isEqualTo("tokenintrospection");
		assertThat(endpoint.defaultAccess()).isEqualTo(Access.NONE);
	}

	@Test
	void statisticsThenBothCachesWithSizesAndCounts() {
		this.client.lookup("token-1");
		this.client.lookup("token-1");
		this.client.lookup("revoked-1");

		Map<String, Map<String, Object>> statistics = this.endpoint.statistics();

		assertThat(statistics.get("active")).contains(entry("name", IntrospectionCaches.ACTIVE_CACHE_NAME),
				entry("size", 1L), entry("hits", 1L));
		assertThat(statistics.get("inactive")).contains(entry("name", IntrospectionCaches.INACTIVE_CACHE_NAME),
				entry("size", 1L));
	}

	@Test
	void evictWhenTokenGivenThenEvictedAndFingerprintReturnedNotToken() {
		this.client.lookup("token-1");

		Map<String, Object> result = this.endpoint.evict(ADMIN, "token-1", null, null, null);

		assertThat(result).containsExactly(entry("evicted", 1),
				entry("fingerprint", IntrospectionCacheControl.fingerprint("token-1")),
				entry("scope", "this-instance-only"), entry("reason", CacheEviction.NOT_SHARED));
		assertThat(result.values()).noneMatch("token-1"::equals);
		assertThat(this.client.lookup("token-1").cacheStatus()).isEqualTo(CacheStatus.MISS);
		assertThat(this.serverCalls).hasValue(2);
	}

	@Test
	void evictWhenFingerprintGivenThenEvictedAndCountReturned() {
		this.client.lookup("token-1");
		this.client.lookup("token-2");

		Map<String, Object> result = this.endpoint.evict(ADMIN, null, IntrospectionCacheControl.fingerprint("token-2"),
				null, null);

		assertThat(result).containsEntry("evicted", 1);
		assertThat(this.client.lookup("token-1").cacheStatus()).isEqualTo(CacheStatus.HIT);
		assertThat(this.client.lookup("token-2").cacheStatus()).isEqualTo(CacheStatus.MISS);
	}

	@Test
	void evictWhenSubjectGivenThenEveryAnswerOfThatUserEvictedAndOthersKept() {
		List.of("alice.s1.1", "alice.s2.2", "bob.s3.3").forEach(this.client::lookup);

		Map<String, Object> result = this.endpoint.evict(ADMIN, null, null, "alice", null);

		assertThat(result).containsExactly(entry("evicted", 2), entry("scope", "this-instance-only"),
				entry("reason", CacheEviction.NOT_SHARED));
		assertThat(this.client.lookup("alice.s1.1").cacheStatus()).isEqualTo(CacheStatus.MISS);
		assertThat(this.client.lookup("alice.s2.2").cacheStatus()).isEqualTo(CacheStatus.MISS);
		assertThat(this.client.lookup("bob.s3.3").cacheStatus()).isEqualTo(CacheStatus.HIT);
	}

	@Test
	void evictWhenSessionGivenThenOnlyThatSessionsAnswersEvicted() {
		List.of("alice.s1.1", "alice.s1.2", "alice.s2.3").forEach(this.client::lookup);

		Map<String, Object> result = this.endpoint.evict(ADMIN, null, null, null, "s1");

		assertThat(result).containsEntry("evicted", 2);
		assertThat(this.client.lookup("alice.s1.1").cacheStatus()).isEqualTo(CacheStatus.MISS);
		assertThat(this.client.lookup("alice.s1.2").cacheStatus()).isEqualTo(CacheStatus.MISS);
		assertThat(this.client.lookup("alice.s2.3").cacheStatus()).isEqualTo(CacheStatus.HIT);
	}

	@Test
	void evictWhenSubjectGivenOverSharedCacheThenScopeSaysHowFar() {
		this.client.lookup("alice.s1.1");
		TokenCache reachable = new StubSharedCache(true);
		TokenCache unreachable = new StubSharedCache(false);
		reachable.put("k1", IntrospectedToken.active(Map.of("sub", "alice")));
		unreachable.put("k1", IntrospectedToken.active(Map.of("sub", "alice")));

		Map<String, Object> reached = new TokenIntrospectionEndpoint(
				new TokenCacheControl(reachable, this.inactiveCache), WRITE_AUTHORITY)
			.evict(ADMIN, null, null, "alice", null);
		Map<String, Object> notReached = new TokenIntrospectionEndpoint(
				new TokenCacheControl(unreachable, this.inactiveCache), WRITE_AUTHORITY)
			.evict(ADMIN, null, null, "alice", null);

		assertThat(reached).containsExactly(entry("evicted", 1), entry("scope", "all-instances"));
		assertThat(notReached).containsEntry("scope", "this-instance-only")
			.containsEntry("reason", CacheEviction.REDIS_INDEX_UNREACHABLE);
	}

	@Test
	void evictWhenSubjectNotFromActuatorCallerWithWriteAuthorityThenDenied() {
		this.client.lookup("alice.s1.1");
		SecurityContext reader = caller(new TestingAuthenticationToken("reader", "n/a", "SCOPE_orders:read"));

		assertThatExceptionOfType(AccessDeniedException.class)
			.isThrownBy(() -> this.endpoint.evict(reader, null, null, "alice", "s1"));
		assertThat(this.client.lookup("alice.s1.1").cacheStatus()).isEqualTo(CacheStatus.HIT);
	}

	@Test
	void evictWhenNoSharedCacheThenScopeThisInstanceOnlySayingWhy() {
		this.client.lookup("token-1");

		Map<String, Object> result = this.endpoint.evict(ADMIN, "token-1", null, null, null);

		assertThat(result).containsEntry("scope", "this-instance-only");
		assertThat((String) result.get("reason")).contains("no shared cache");
	}

	@Test
	void evictWhenSharedCacheReachedThenScopeAllInstancesWithoutReason() {
		TokenIntrospectionEndpoint endpoint = new TokenIntrospectionEndpoint(
				new TokenCacheControl(new StubSharedCache(true), this.inactiveCache), WRITE_AUTHORITY);

		assertThat(endpoint.evict(ADMIN, "token-1", null, null, null))
			.containsOnlyKeys("evicted", "fingerprint", "scope")
			.containsEntry("fingerprint", IntrospectionCacheControl.fingerprint("token-1"))
			.containsEntry("scope", "all-instances");
		assertThat(endpoint.evictAll(ADMIN)).containsOnlyKeys("evicted", "scope")
			.containsEntry("scope", "all-instances");
	}

	@Test
	void evictWhenSharedCacheUnreachableThenScopeThisInstanceOnlySayingRedisDidNotAnswer() {
		TokenIntrospectionEndpoint endpoint = new TokenIntrospectionEndpoint(
				new TokenCacheControl(new StubSharedCache(false), this.inactiveCache), WRITE_AUTHORITY);

		for (Map<String, Object> result : java.util.List.of(endpoint.evict(ADMIN, "token-1", null, null, null),
				endpoint.evictAll(ADMIN))) {
			assertThat(result).containsEntry("scope", "this-instance-only");
			assertThat((String) result.get("reason")).contains("Redis did not answer")
				.contains("once Redis answers again");
		}
	}

	@Test
	void evictWhenTokenAndFingerprintGivenThenTokenWins() {
		this.client.lookup("token-1");
		this.client.lookup("token-2");

		this.endpoint.evict(ADMIN, "token-1", IntrospectionCacheControl.fingerprint("token-2"), null, null);

		assertThat(this.client.lookup("token-1").cacheStatus()).isEqualTo(CacheStatus.MISS);
		assertThat(this.client.lookup("token-2").cacheStatus()).isEqualTo(CacheStatus.HIT);
	}

	@Test
	void evictWhenNeitherGivenThenInvalidRequest() {
		this.client.lookup("token-1");

		assertThatExceptionOfType(InvalidEndpointRequestException.class)
			.isThrownBy(() -> this.endpoint.evict(ADMIN, null, null, null, null))
			.satisfies((ex) -> assertThat(ex.getReason())
				.isEqualTo("Send a token, a fingerprint, a subject or a session"));
		assertThatExceptionOfType(InvalidEndpointRequestException.class)
			.isThrownBy(() -> this.endpoint.evict(ADMIN, " ", "", null, null));
		assertThat(this.client.lookup("token-1").cacheStatus()).isEqualTo(CacheStatus.HIT);
	}

	@Test
	void evictWhenFingerprintMalformedThenInvalidRequestSayingWhy() {
		this.client.lookup("token-1");

		assertThatExceptionOfType(InvalidEndpointRequestException.class)
			.isThrownBy(() -> this.endpoint.evict(ADMIN, null, "abc", null, null))
			.satisfies((ex) -> assertThat(ex.getReason()).contains("at least 12 hexadecimal characters"));
		assertThatExceptionOfType(InvalidEndpointRequestException.class)
			.isThrownBy(() -> this.endpoint.evict(ADMIN, null, "not-hex-at-all", null, null));
		assertThat(this.client.lookup("token-1").cacheStatus()).isEqualTo(CacheStatus.HIT);
	}

	@Test
	void evictAllThenEveryTokenAsksServerAgain() {
		this.client.lookup("token-1");
		this.client.lookup("revoked-1");

		Map<String, Object> result = this.endpoint.evictAll(ADMIN);

		assertThat(result).containsEntry("scope", "this-instance-only");
		assertThat(this.endpoint.statistics().get("active")).containsEntry("size", 0L);
		assertThat(this.endpoint.statistics().get("inactive")).containsEntry("size", 0L);
		assertThat(this.client.lookup("token-1").cacheStatus()).isEqualTo(CacheStatus.MISS);
		assertThat(this.client.lookup("revoked-1").cacheStatus()).isEqualTo(CacheStatus.MISS);
		assertThat(this.serverCalls).hasValue(4);
	}

	/** A shared cache whose evictions reach, or fail to reach, the other instances. */
	private static final class StubSharedCache implements TokenCache {

		private final TokenCache local = IntrospectionCaches.activeTokens(Duration.ofMinutes(5), 100,
				Clock.systemUTC());

		private final boolean reachesAll;

		StubSharedCache(boolean reachesAll) {
			this.reachesAll = reachesAll;
		}

		@Override
		public boolean evict(String key) {
			this.local.evict(key);
			return this.reachesAll;
		}

		@Override
		public boolean clear() {
			this.local.clear();
			return this.reachesAll;
		}

		@Override
		public boolean isShared() {
			return true;
		}

		@Override
		public String name() {
			return this.local.name();
		}

		@Override
		public IntrospectedToken get(String key) {
			return this.local.get(key);
		}

		@Override
		public void put(String key, IntrospectedToken result) {
			this.local.put(key, result);
		}

		@Override
		public IntrospectedToken getOrLoad(String key, Supplier<IntrospectedToken> loader) {
			return this.local.getOrLoad(key, loader);
		}

		@Override
		public CompletableFuture<IntrospectedToken> retrieveOrLoad(String key,
				Supplier<CompletableFuture<IntrospectedToken>> loader) {
			return this.local.retrieveOrLoad(key, loader);
		}

		@Override
		public boolean evictHere(String key) {
			return this.local.evictHere(key);
		}

		@Override
		public boolean containsHere(String key) {
			return this.local.containsHere(key);
		}

		@Override
		public List<String> keysStartingWith(String prefix) {
			return this.local.keysStartingWith(prefix);
		}

		@Override
		public ClaimMatches keysWithClaim(String claim, String value) {
			return new ClaimMatches(this.local.keysWithClaim(claim, value).keys(), this.reachesAll);
		}

		@Override
		public long estimatedSize() {
			return this.local.estimatedSize();
		}

		@Override
		public Statistics statistics() {
			return this.local.statistics();
		}

		@Override
		public void bindMetrics(MeterRegistry registry) {
			this.local.bindMetrics(registry);
		}

	}

	private static SecurityContext caller(org.springframework.security.core.@Nullable Authentication authentication) {
		return new SecurityContext() {

			@Override
			public java.security.@Nullable Principal getPrincipal() {
				return authentication;
			}

			@Override
			public boolean isUserInRole(String role) {
				return false;
			}

		};
	}

}
