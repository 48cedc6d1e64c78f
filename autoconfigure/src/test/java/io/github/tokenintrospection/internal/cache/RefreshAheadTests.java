package io.github.tokenintrospection.internal.cache;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.tokenintrospection.IntrospectedToken;
import io.github.tokenintrospection.client.AuthorizationServerUnavailableException;
import io.github.tokenintrospection.observation.CacheStatus;
import io.github.tokenintrospection.testsupport.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Refresh-ahead's rules, each shown on the blocking lookup (and the main ones on the
 * non-blocking twin): refresh after the fraction and only then, served from the cache
 * meanwhile, once at a time, never at or past {@code exp}, an inactive answer evicts, a
 * failure keeps the entry, not while the breaker is open, within the budget, only answers
 * in use, and the refreshed answer written through the cache.
 */
class RefreshAheadTests {

	private static final Duration TTL = Duration.ofSeconds(60);

	private final MutableClock clock = MutableClock.startingAt("2030-01-01T00:00:00Z");

	private final TokenCaches caches = new TokenCaches(IntrospectionCaches.activeTokens(TTL, 100, this.clock),
			IntrospectionCaches.inactiveTokens(Duration.ofSeconds(10), 100));

	private final AtomicInteger calls = new AtomicInteger();

	private final AtomicBoolean answerInactive = new AtomicBoolean();

	private final AtomicBoolean serverFails = new AtomicBoolean();

	private final AtomicBoolean breakerOpen = new AtomicBoolean();

	private final List<String> outcomes = new CopyOnWriteArrayList<>();

	private final CountDownLatch release = new CountDownLatch(1);

	private volatile boolean holdRefreshes;

	@AfterEach
	void releaseHeldCalls() {
		this.release.countDown();
	}

	@Test
	void lookupWhenUsedAfterTheFractionThenServedFromCacheAndRefreshedOnceInTheBackground() {
		CachingIntrospectionClient client = blocking(refreshAhead(20));
		assertThat(client.lookup("token").cacheStatus()).isEqualTo(CacheStatus.MISS);

		this.clock.advance(Duration.ofSeconds(47));
		assertThat(client.lookup("token").cacheStatus()).isEqualTo(CacheStatus.HIT);
		assertThat(this.calls).as("before 0.8 of the lifetime").hasValue(1);

		this.clock.advance(Duration.ofSeconds(2));
		TokenLookup.Lookup served = client.lookup("token");

		assertThat(served.cacheStatus()).isEqualTo(CacheStatus.HIT);
		assertThat(served.token().getClaims()).containsEntry("n", 1);
		await().atMost(Duration.ofSeconds(5)).until(() -> this.outcomes.contains("done"));
		assertThat(this.calls).hasValue(2);
		assertThat(client.lookup("token").token().getClaims()).as("the refreshed answer").containsEntry("n", 2);
		// Refreshed now: its lifetime starts again.
		assertThat(this.calls).hasValue(2);
	}

	@Test
	void lookupWhenManyUsesWhileARefreshRunsThenOneRefresh() throws Exception {
		CachingIntrospectionClient client = blocking(refreshAhead(20));
		client.lookup("token");
		this.clock.advance(Duration.ofSeconds(50));
		this.holdRefreshes = true;

		for (int i = 0; i < 10; i++) {
			assertThat(client.lookup("token").cacheStatus()).isEqualTo(CacheStatus.HIT);
		}
		await().atMost(Duration.ofSeconds(5)).until(() -> this.calls.get() == 2);
		Thread.sleep(100);

		assertThat(this.calls).as("single flight").hasValue(2);
		this.release.countDown();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.outcomes.contains("done"));
	}

	@Test
	void refreshWhenTheEntryIsEvictedWhileTheCallRunsThenTheAnswerDoesNotComeBack() throws Exception {
		CachingIntrospectionClient client = blocking(refreshAhead(20));
		client.lookup("token");
		this.clock.advance(Duration.ofSeconds(50));
		this.holdRefreshes = true;
		client.lookup("token");
		await().atMost(Duration.ofSeconds(5)).until(() -> this.calls.get() == 2);

		// A revocation (the actuator, a security event) while the refresh is under way.
		this.caches.active().evict(TokenHash.sha256Hex("token"));
		this.release.countDown();

		await().atMost(Duration.ofSeconds(5)).until(() -> this.outcomes.contains("superseded"));
		this.holdRefreshes = false;
		assertThat(client.lookup("token").cacheStatus()).as("asked again, not served the refresh")
			.isEqualTo(CacheStatus.MISS);
	}

	@Test
	void dueWhenTheAnswerIsAtOrPastItsExpThenNeverRefreshed() {
		RefreshAhead refresh = refreshAhead(20);
		IntrospectedToken answer = IntrospectedToken
			.active(Map.of("active", true, "exp", this.clock.instant().plusSeconds(10)));
		refresh.obtained("key");

		this.clock.advance(Duration.ofSeconds(9));
		assertThat(refresh.due("key", answer)).as("0.9 of the 10 s left").isTrue();
		refresh.failed("key");
		this.clock.advance(Duration.ofSeconds(1));
		assertThat(refresh.due("key", answer)).as("at exp").isFalse();
		this.clock.advance(Duration.ofSeconds(5));
		assertThat(refresh.due("key", answer)).as("past exp").isFalse();
	}

	@Test
	void dueWhenARefreshStampedTheEntryAfterThisUseBeganThenTheAgeServedIsZeroNotNegative() {
		java.util.List<Duration> ages = new CopyOnWriteArrayList<>();
		RefreshAhead refresh = new RefreshAhead(0.8, 0, 20, TTL, 100, () -> true, new RefreshAhead.Listener() {
			@Override
			public void served(Duration age) {
				if (age.isNegative()) {
					throw new IllegalArgumentException("Timer measurements cannot be negative");
				}
				ages.add(age);
			}
		}, this.clock);
		this.clock.advance(Duration.ofSeconds(5));
		refresh.obtained("key");
		this.clock.advance(Duration.ofSeconds(-1));

		assertThat(refresh.due("key", IntrospectedToken.active(Map.of("active", true)))).isFalse();
		assertThat(ages).containsExactly(Duration.ZERO);
	}

	@Test
	void refreshWhenTheServerNowSaysInactiveThenTheEntryIsEvictedAtOnce() {
		CachingIntrospectionClient client = blocking(refreshAhead(20));
		client.lookup("token");
		this.clock.advance(Duration.ofSeconds(50));
		this.answerInactive.set(true);

		assertThat(client.lookup("token").token().isActive()).as("served meanwhile").isTrue();

		await().atMost(Duration.ofSeconds(5)).until(() -> this.outcomes.contains("inactive"));
		TokenLookup.Lookup next = client.lookup("token");
		assertThat(next.token().isActive()).isFalse();
		assertThat(next.cacheStatus()).isEqualTo(CacheStatus.NEGATIVE_HIT);
	}

	@Test
	void refreshWhenTheServerFailsThenTheEntryStaysUntilItsNormalEnd() {
		CachingIntrospectionClient client = blocking(refreshAhead(20));
		client.lookup("token");
		this.clock.advance(Duration.ofSeconds(50));
		this.serverFails.set(true);

		client.lookup("token");

		await().atMost(Duration.ofSeconds(5)).until(() -> this.outcomes.contains("failed"));
		TokenLookup.Lookup next = client.lookup("token");
		assertThat(next.cacheStatus()).isEqualTo(CacheStatus.HIT);
		assertThat(next.token().getClaims()).containsEntry("n", 1);
	}

	@Test
	void refreshWhenTheBreakerIsOpenThenSkipped() {
		CachingIntrospectionClient client = blocking(refreshAhead(20));
		client.lookup("token");
		this.clock.advance(Duration.ofSeconds(50));
		this.breakerOpen.set(true);

		assertThat(client.lookup("token").cacheStatus()).isEqualTo(CacheStatus.HIT);

		assertThat(this.outcomes).containsExactly("skipped_breaker");
		assertThat(this.calls).hasValue(1);
	}

	@Test
	void refreshWhenManyAnswersAreDueAtOnceThenTheBudgetCapsThem() {
		CachingIntrospectionClient client = blocking(refreshAhead(2));
		for (int i = 0; i < 5; i++) {
			client.lookup("token-" + i);
		}
		this.clock.advance(Duration.ofSeconds(50));

		for (int i = 0; i < 5; i++) {
			client.lookup("token-" + i);
		}

		await().atMost(Duration.ofSeconds(5)).until(() -> this.outcomes.stream().filter("done"::equals).count() == 2);
		assertThat(this.outcomes).filteredOn("skipped_budget"::equals).hasSize(3);
		assertThat(this.calls).hasValue(5 + 2);
	}

	@Test
	void refreshWhenAnAnswerIsNotUsedThenItIsNotRefreshedAndJustEnds() throws Exception {
		CachingIntrospectionClient client = blocking(refreshAhead(20));
		client.lookup("idle");

		this.clock.advance(Duration.ofSeconds(59));
		Thread.sleep(100);

		assertThat(this.calls).hasValue(1);
		assertThat(this.outcomes).isEmpty();
	}

	@Test
	void refreshWhenDoneThenTheAnswerReplacesTheEntryThroughTheActiveCache() {
		List<String> puts = new CopyOnWriteArrayList<>();
		TokenCache active = this.caches.active();
		TokenCaches recording = new TokenCaches(new ForwardingTokenCache(active) {
			@Override
			public boolean replace(String key, IntrospectedToken served, IntrospectedToken fresh) {
				puts.add(key);
				return super.replace(key, served, fresh);
			}
		}, this.caches.inactive());
		CachingIntrospectionClient client = new CachingIntrospectionClient(this::introspect, recording,
				refreshAhead(20), this.clock);
		client.lookup("token");
		this.clock.advance(Duration.ofSeconds(50));

		client.lookup("token");

		await().atMost(Duration.ofSeconds(5)).until(() -> this.outcomes.contains("done"));
		assertThat(puts).containsExactly(TokenHash.sha256Hex("token"));
	}

	@Test
	void reactiveLookupWhenUsedAfterTheFractionThenRefreshedWithoutWaitingAndInactiveEvicts() {
		AsyncCachingLookup lookup = new AsyncCachingLookup(
				(token) -> CompletableFuture.supplyAsync(() -> introspect(token)), this.caches, refreshAhead(20),
				this.clock);
		assertThat(lookup.lookup("token").join().cacheStatus()).isEqualTo(CacheStatus.MISS);
		this.clock.advance(Duration.ofSeconds(40));
		assertThat(lookup.lookup("token").join().cacheStatus()).isEqualTo(CacheStatus.HIT);
		assertThat(this.calls).hasValue(1);

		this.clock.advance(Duration.ofSeconds(10));
		assertThat(lookup.lookup("token").join().token().getClaims()).containsEntry("n", 1);
		await().atMost(Duration.ofSeconds(5)).until(() -> this.outcomes.contains("done"));
		assertThat(lookup.lookup("token").join().token().getClaims()).containsEntry("n", 2);

		this.clock.advance(Duration.ofSeconds(50));
		this.answerInactive.set(true);
		lookup.lookup("token").join();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.outcomes.contains("inactive"));
		assertThat(lookup.lookup("token").join().cacheStatus()).isEqualTo(CacheStatus.NEGATIVE_HIT);
	}

	private CachingIntrospectionClient blocking(RefreshAhead refreshAhead) {
		return new CachingIntrospectionClient(this::introspect, this.caches, refreshAhead, this.clock);
	}

	/** No jitter: the rules are shown at their exact fraction. */
	private RefreshAhead refreshAhead(int maxPerSecond) {
		return new RefreshAhead(0.8, 0, maxPerSecond, TTL, 100, () -> !this.breakerOpen.get(),
				new RefreshAhead.Listener() {
					@Override
					public void refreshed(String outcome) {
						RefreshAheadTests.this.outcomes.add(outcome);
					}
				}, this.clock);
	}

	private IntrospectedToken introspect(String token) {
		int n = this.calls.incrementAndGet();
		if (this.holdRefreshes) {
			try {
				this.release.await(5, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		if (this.serverFails.get()) {
			throw new AuthorizationServerUnavailableException("the server is down", null, false, null);
		}
		if (this.answerInactive.get()) {
			return IntrospectedToken.inactive();
		}
		Instant exp = this.clock.instant().plusSeconds(3600);
		return IntrospectedToken.active(Map.of("active", true, "sub", "alice", "n", n, "exp", exp));
	}

}
