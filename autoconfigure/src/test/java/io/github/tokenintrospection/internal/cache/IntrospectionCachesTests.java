package io.github.tokenintrospection.internal.cache;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.github.tokenintrospection.IntrospectedToken;
import io.github.tokenintrospection.testsupport.MutableClock;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class IntrospectionCachesTests {

	private static final Duration TTL = Duration.ofMinutes(5);

	private final MutableClock clock = MutableClock.startingAt("2030-01-01T00:00:00Z");

	@Test
	void putOverAnEntryThenItLivesItsOwnLifetimeNotTheRestOfTheFirst() throws InterruptedException {
		TokenCache cache = IntrospectionCaches.activeTokens(Duration.ofMillis(800), 100, java.time.Clock.systemUTC());
		cache.getOrLoad("key", () -> IntrospectedToken.active(Map.of("active", true, "n", 1)));
		Thread.sleep(500);

		cache.put("key", IntrospectedToken.active(Map.of("active", true, "n", 2)));
		Thread.sleep(500);

		// 1 s after the first answer, 0.5 s after the second: the second still lives.
		assertThat(cache.get("key")).isNotNull()
			.satisfies((answer) -> assertThat(answer.getClaims()).containsEntry("n", 2));
	}

	@Test
	void lifetimeWhenExpSoonerThanTtlThenLivesUntilExp() {
		IntrospectedToken token = expiringIn(Duration.ofSeconds(30));

		assertThat(IntrospectionCaches.lifetime(TTL, token, this.clock)).isEqualTo(Duration.ofSeconds(30));
	}

	@Test
	void lifetimeWhenTtlShorterThanExpThenTtl() {
		IntrospectedToken token = expiringIn(Duration.ofHours(1));

		assertThat(IntrospectionCaches.lifetime(TTL, token, this.clock)).isEqualTo(TTL);
	}

	@Test
	void lifetimeWhenNoExpThenTtl() {
		IntrospectedToken token = IntrospectedToken.active(Map.of("sub", "alice"));

		assertThat(IntrospectionCaches.lifetime(TTL, token, this.clock)).isEqualTo(TTL);
	}

	@Test
	void lifetimeWhenExpInThePastThenZero() {
		IntrospectedToken token = expiringIn(Duration.ofSeconds(-1));

		assertThat(IntrospectionCaches.lifetime(TTL, token, this.clock)).isEqualTo(Duration.ZERO);
	}

	@Test
	void lifetimeWhenClockAdvancesThenShrinksTowardsExp() {
		IntrospectedToken token = expiringIn(Duration.ofSeconds(30));
		this.clock.advance(Duration.ofSeconds(20));

		assertThat(IntrospectionCaches.lifetime(TTL, token, this.clock)).isEqualTo(Duration.ofSeconds(10));
	}

	@Test
	void activeTokensWhenEntryAlreadyExpiredThenNotKept() {
		TokenCache cache = IntrospectionCaches.activeTokens(TTL, 10, this.clock);

		cache.put("expired", expiringIn(Duration.ofSeconds(-1)));
		cache.put("valid", expiringIn(Duration.ofSeconds(30)));

		assertThat(cache.get("expired")).isNull();
		assertThat(cache.get("valid")).isNotNull();
	}

	@Test
	void activeTokensWhenCreatedThenNamedAndBoundedByMaximumSize() {
		TokenCache cache = IntrospectionCaches.activeTokens(TTL, 10, this.clock);

		assertThat(cache.name()).isEqualTo(IntrospectionCaches.ACTIVE_CACHE_NAME);
		assertThat(CaffeineEntries.of(cache).policy().eviction())
			.hasValueSatisfying((eviction) -> assertThat(eviction.getMaximum()).isEqualTo(10));
	}

	@Test
	void activeTokensWhenBlockingCallerLoadsThenLoaderRunsOnCallerThread() {
		TokenCache cache = IntrospectionCaches.activeTokens(TTL, 10, this.clock);
		AtomicReference<Thread> loaderThread = new AtomicReference<>();

		cache.getOrLoad("key", () -> {
			loaderThread.set(Thread.currentThread());
			return expiringIn(TTL);
		});

		assertThat(loaderThread).hasValue(Thread.currentThread());
	}

	@Test
	void activeTokensExecutorWhenFutureTaskThenRunsOnCallerThread() {
		Thread caller = Thread.currentThread();

		Thread ran = CompletableFuture.supplyAsync(Thread::currentThread, IntrospectionCaches::loadOnCaller).join();

		assertThat(ran).isSameAs(caller);
	}

	@Test
	void activeTokensExecutorWhenCacheUpkeepThenRunsInBackground() throws Exception {
		CompletableFuture<Thread> ran = new CompletableFuture<>();

		IntrospectionCaches.loadOnCaller(() -> ran.complete(Thread.currentThread()));

		assertThat(ran.get(10, TimeUnit.SECONDS)).isNotSameAs(Thread.currentThread());
	}

	@Test
	void inactiveTokensWhenCreatedThenNamedBoundedAndExpiringAfterWrite() {
		TokenCache cache = IntrospectionCaches.inactiveTokens(Duration.ofSeconds(10), 20);

		assertThat(cache.name()).isEqualTo(IntrospectionCaches.INACTIVE_CACHE_NAME);
		var policy = CaffeineEntries.of(cache).policy();
		assertThat(policy.eviction()).hasValueSatisfying((eviction) -> assertThat(eviction.getMaximum()).isEqualTo(20));
		assertThat(policy.expireAfterWrite())
			.hasValueSatisfying((expiry) -> assertThat(expiry.getExpiresAfter()).isEqualTo(Duration.ofSeconds(10)));
	}

	private IntrospectedToken expiringIn(Duration duration) {
		return IntrospectedToken.active(Map.of("sub", "alice", "exp", this.clock.instant().plus(duration)));
	}

}
