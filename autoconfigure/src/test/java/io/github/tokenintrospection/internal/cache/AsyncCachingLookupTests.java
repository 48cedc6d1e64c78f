package io.github.tokenintrospection.internal.cache;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import io.github.tokenintrospection.IntrospectedToken;
import io.github.tokenintrospection.internal.cache.TokenLookup.Lookup;
import io.github.tokenintrospection.observation.CacheStatus;
import io.github.tokenintrospection.testsupport.MutableClock;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AsyncCachingLookupTests {

	private final MutableClock clock = MutableClock.startingAt("2030-01-01T00:00:00Z");

	private final AtomicInteger calls = new AtomicInteger();

	private final CompletableFuture<IntrospectedToken> answer = new CompletableFuture<>();

	private final AsyncCachingLookup lookup = new AsyncCachingLookup((token) -> {
		this.calls.incrementAndGet();
		return this.answer;
	}, IntrospectionCaches.activeTokens(Duration.ofMinutes(5), 100, this.clock),
			IntrospectionCaches.inactiveTokens(Duration.ofSeconds(10), 100), this.clock);

	@Test
	void lookupWhenCallersWaitOnTheLoadOfAnInactiveTokenThenOneMissAndNegativeHits() {
		List<CompletableFuture<Lookup>> lookups = IntStream.range(0, 5)
			.mapToObj((i) -> this.lookup.lookup("revoked-token"))
			.toList();

		this.answer.complete(IntrospectedToken.inactive());

		assertThat(lookups).extracting((lookup) -> lookup.join().cacheStatus())
			.containsExactly(CacheStatus.MISS, CacheStatus.NEGATIVE_HIT, CacheStatus.NEGATIVE_HIT,
					CacheStatus.NEGATIVE_HIT, CacheStatus.NEGATIVE_HIT);
		assertThat(this.lookup.lookup("revoked-token").join().cacheStatus()).isEqualTo(CacheStatus.NEGATIVE_HIT);
		assertThat(this.calls).hasValue(1);
	}

	@Test
	void lookupWhenCallersWaitOnTheLoadOfAnActiveTokenThenOneMissAndHits() {
		List<CompletableFuture<Lookup>> lookups = IntStream.range(0, 3)
			.mapToObj((i) -> this.lookup.lookup("token"))
			.toList();

		this.answer.complete(IntrospectedToken.active(Map.of("sub", "alice")));

		assertThat(lookups).extracting((lookup) -> lookup.join().cacheStatus())
			.containsExactly(CacheStatus.MISS, CacheStatus.HIT, CacheStatus.HIT);
		assertThat(this.calls).hasValue(1);
	}

}
