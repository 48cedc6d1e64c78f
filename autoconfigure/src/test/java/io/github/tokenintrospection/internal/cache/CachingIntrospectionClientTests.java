package io.github.tokenintrospection.internal.cache;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import io.github.tokenintrospection.IntrospectedToken;
import io.github.tokenintrospection.client.IntrospectionClient;
import io.github.tokenintrospection.observation.CacheStatus;
import io.github.tokenintrospection.testsupport.MutableClock;
import org.junit.jupiter.api.Test;

import org.springframework.cache.concurrent.ConcurrentMapCache;
import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class CachingIntrospectionClientTests {

	private final MutableClock clock = MutableClock.startingAt("2030-01-01T00:00:00Z");

	private final AtomicInteger delegateCalls = new AtomicInteger();

	private TokenCache activeCache = IntrospectionCaches.activeTokens(Duration.ofMinutes(5), 100, this.clock);

	private TokenCache inactiveCache = IntrospectionCaches.inactiveTokens(Duration.ofSeconds(10), 100);

	@Test
	void introspectWhenSameTokenRepeatedThenDelegateCalledOnce() {
		CachingIntrospectionClient client = client((token) -> active(token));

		IntrospectedToken first = client.introspect("token-1");
		IntrospectedToken second = client.introspect("token-1");
		client.introspect("token-1");

		assertThat(this.delegateCalls).hasValue(1);
		assertThat(second).isSameAs(first);
		assertThat(second.getClaims()).containsEntry("sub", "token-1");
	}

	@Test
	void introspectWhenDifferentTokensThenDelegateCalledForEach() {
		CachingIntrospectionClient client = client((token) -> active(token));

		IntrospectedToken one = client.introspect("token-1");
		IntrospectedToken two = client.introspect("token-2");

		assertThat(this.delegateCalls).hasValue(2);
		assertThat(one.getClaims()).containsEntry("sub", "token-1");
		assertThat(two.getClaims()).containsEntry("sub", "token-2");
	}

	@Test
	void introspectWhenInactiveThenCachedInNegativeCacheOnly() {
		CachingIntrospectionClient client = client((token) -> IntrospectedToken.inactive());

		assertThat(client.introspect("revoked").isActive()).isFalse();
		assertThat(client.introspect("revoked").isActive()).isFalse();

		assertThat(this.delegateCalls).hasValue(1);
		assertThat(keys(this.activeCache)).isEmpty();
		assertThat(keys(this.inactiveCache)).containsExactly(sha256Hex("revoked"));
	}

	@Test
	void introspectWhenDelegateFailsThenNothingCachedAndExceptionPropagatesUnchanged() {
		OAuth2IntrospectionException failure = new OAuth2IntrospectionException("authorization server down");
		CachingIntrospectionClient client = client((token) -> {
			throw failure;
		});

		assertThatExceptionOfType(OAuth2IntrospectionException.class).isThrownBy(() -> client.introspect("token-1"))
			.isSameAs(failure);
		assertThatExceptionOfType(OAuth2IntrospectionException.class).isThrownBy(() -> client.introspect("token-1"))
			.isSameAs(failure);

		assertThat(this.delegateCalls).hasValue(2);
		assertThat(keys(this.activeCache)).isEmpty();
		assertThat(keys(this.inactiveCache)).isEmpty();
	}

	@Test
	void introspectWhenCachingThenKeysAreSha256HexOfTokenNeverTheToken() {
		CachingIntrospectionClient client = client(
				(token) -> token.startsWith("good") ? active(token) : IntrospectedToken.inactive());

		client.introspect("good-token");
		client.introspect("bad-token");

		assertThat(keys(this.activeCache)).containsExactly(sha256Hex("good-token"))
			.allSatisfy((key) -> assertThat((String) key).matches("[0-9a-f]{64}"))
			.doesNotContain("good-token");
		assertThat(keys(this.inactiveCache)).containsExactly(sha256Hex("bad-token")).doesNotContain("bad-token");
	}

	@Test
	void introspectWhenClockReachesExpThenCachedEntryIsEvictedAndDelegateCalledAgain() {
		// A cache without per-entry expiry, like an application's own cache.
		this.activeCache = IntrospectionCaches.applicationCache(new ConcurrentMapCache("user-cache"));
		CachingIntrospectionClient client = client((token) -> IntrospectedToken
			.active(Map.of("sub", "alice", "exp", this.clock.instant().plusSeconds(30))));

		IntrospectedToken first = client.introspect("token-1");
		client.introspect("token-1");
		assertThat(this.delegateCalls).hasValue(1);

		this.clock.advance(Duration.ofSeconds(30));
		IntrospectedToken refreshed = client.introspect("token-1");

		assertThat(this.delegateCalls).hasValue(2);
		assertThat(refreshed).isNotSameAs(first);
		assertThat(refreshed.expiresAt()).isEqualTo(this.clock.instant().plusSeconds(30));
	}

	@Test
	void introspectWhenCachedEntryPastExpThenDroppedLocallyNotRevoked() {
		// On a shared cache evict() revokes the token on every instance; an entry past
		// exp
		// only has to leave this one.
		AtomicInteger evictions = new AtomicInteger();
		AtomicInteger localEvictions = new AtomicInteger();
		this.activeCache = IntrospectionCaches.applicationCache(new ConcurrentMapCache("user-cache") {

			@Override
			public void evict(Object key) {
				evictions.incrementAndGet();
				super.evict(key);
			}

			@Override
			public boolean evictIfPresent(Object key) {
				localEvictions.incrementAndGet();
				return super.evictIfPresent(key);
			}

		});
		CachingIntrospectionClient client = client((token) -> IntrospectedToken
			.active(Map.of("sub", "alice", "exp", this.clock.instant().plusSeconds(30))));
		client.introspect("token-1");

		this.clock.advance(Duration.ofSeconds(30));
		client.introspect("token-1");

		assertThat(this.delegateCalls).hasValue(2);
		assertThat(localEvictions).hasValue(1);
		assertThat(evictions).hasValue(0);
	}

	@Test
	void introspectWhenServerAnswersActiveWithExpInThePastThenAskedOncePerRequest() {
		// A faulty server: the result is useless, and asking again at once would only
		// double
		// its load.
		CachingIntrospectionClient client = client((token) -> IntrospectedToken
			.active(Map.of("sub", "alice", "exp", this.clock.instant().minusSeconds(5))));

		assertThat(client.introspect("token-1").isExpiredAt(this.clock.instant())).isTrue();
		assertThat(this.delegateCalls).hasValue(1);
		client.introspect("token-1");
		assertThat(this.delegateCalls).hasValue(2);
	}

	@Test
	void introspectWhenFloodOfInactiveTokensThenActiveEntryIsNotEvicted() {
		CachingIntrospectionClient client = client(
				(token) -> token.equals("good") ? active(token) : IntrospectedToken.inactive());
		client.introspect("good");

		for (int i = 0; i < 10_000; i++) {
			client.introspect("random-" + i);
		}
		nativeCache(this.activeCache).cleanUp();
		nativeCache(this.inactiveCache).cleanUp();
		int callsBefore = this.delegateCalls.get();

		assertThat(client.introspect("good").isActive()).isTrue();
		assertThat(this.delegateCalls).hasValue(callsBefore);
		assertThat(callsBefore).isEqualTo(10_001);
		assertThat(nativeCache(this.inactiveCache).estimatedSize()).isLessThanOrEqualTo(100);
	}

	@Test
	void introspectWhenManyThreadsAskForOneNewTokenThenDelegateCalledOnce() throws Exception {
		int threads = 32;
		CachingIntrospectionClient client = client((token) -> {
			try {
				Thread.sleep(200);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			return active(token);
		});
		CountDownLatch ready = new CountDownLatch(threads);
		CountDownLatch go = new CountDownLatch(1);
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		try {
			List<Future<IntrospectedToken>> results = new ArrayList<>();
			for (int i = 0; i < threads; i++) {
				results.add(executor.submit(() -> {
					ready.countDown();
					go.await();
					return client.introspect("shared-token");
				}));
			}
			assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
			go.countDown();
			for (Future<IntrospectedToken> result : results) {
				IntrospectedToken token = result.get(10, TimeUnit.SECONDS);
				assertThat(token.isActive()).isTrue();
				assertThat(token.getClaims()).containsEntry("sub", "shared-token");
			}
		}
		finally {
			executor.shutdownNow();
		}
		assertThat(this.delegateCalls).hasValue(1);
	}

	@Test
	void lookupWhenThreadsWaitOnTheLoadOfAnInactiveTokenThenOneMissAndNegativeHitsNeverAHit() throws Exception {
		int threads = 16;
		CountDownLatch release = new CountDownLatch(1);
		CachingIntrospectionClient client = client((token) -> {
			try {
				// Holds the load open while the other threads arrive and wait on it.
				release.await(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			return IntrospectedToken.inactive();
		});
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		try {
			List<Future<TokenLookup.Lookup>> lookups = new ArrayList<>();
			for (int i = 0; i < threads; i++) {
				lookups.add(executor.submit(() -> client.lookup("revoked-token")));
			}
			Thread.sleep(300);
			release.countDown();
			List<CacheStatus> statuses = new ArrayList<>();
			for (Future<TokenLookup.Lookup> lookup : lookups) {
				TokenLookup.Lookup result = lookup.get(10, TimeUnit.SECONDS);
				assertThat(result.token().isActive()).isFalse();
				statuses.add(result.cacheStatus());
			}
			assertThat(statuses).containsOnlyOnce(CacheStatus.MISS)
				.doesNotContain(CacheStatus.HIT)
				.containsOnly(CacheStatus.MISS, CacheStatus.NEGATIVE_HIT);
		}
		finally {
			executor.shutdownNow();
		}
		assertThat(this.delegateCalls).hasValue(1);
	}

	private CachingIntrospectionClient client(Function<String, IntrospectedToken> answers) {
		IntrospectionClient delegate = (token) -> {
			this.delegateCalls.incrementAndGet();
			return answers.apply(token);
		};
		return new CachingIntrospectionClient(delegate, this.activeCache, this.inactiveCache, this.clock);
	}

	private IntrospectedToken active(String subject) {
		return IntrospectedToken.active(Map.of("sub", subject, "exp", this.clock.instant().plusSeconds(300)));
	}

	private static com.github.benmanes.caffeine.cache.Cache<String, Object> nativeCache(TokenCache cache) {
		return CaffeineEntries.of(cache);
	}

	private static List<Object> keys(TokenCache cache) {
		nativeCache(cache).cleanUp();
		return List.copyOf(nativeCache(cache).asMap().keySet());
	}

	private static String sha256Hex(String token) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
