package io.github.tokenintrospection.internal.reactive;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.github.tokenintrospection.IntrospectedToken;
import io.github.tokenintrospection.internal.cache.AsyncCachingLookup;
import io.github.tokenintrospection.internal.cache.IntrospectionCaches;
import io.github.tokenintrospection.observation.CacheStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A lookup that completes on a foreign thread (the HTTP client's, a shared cache's pool)
 * hands the rest of the pipeline back to Reactor's parallel scheduler; a local cache hit
 * continues on the caller's thread.
 */
class ReactiveTokenLookupTests {

	private final Clock clock = Clock.systemUTC();

	private final ExecutorService foreign = Executors
		.newSingleThreadExecutor((task) -> new Thread(task, "foreign-pool-thread"));

	@AfterEach
	void shutDown() {
		this.foreign.shutdownNow();
	}

	@Test
	void lookupWhenFutureCompletesOnForeignThreadThenDownstreamRunsOnParallelScheduler() throws Exception {
		// The answer is completed only once the lookup is subscribed, so it is never done
		// early.
		CompletableFuture<IntrospectedToken> answer = new CompletableFuture<>();
		ReactiveTokenLookup lookup = ReactiveTokenLookup.caching(new AsyncCachingLookup((token) -> answer,
				IntrospectionCaches.activeTokens(Duration.ofMinutes(5), 100, this.clock),
				IntrospectionCaches.inactiveTokens(Duration.ofSeconds(10), 100), this.clock));
		CompletableFuture<String> thread = new CompletableFuture<>();

		lookup.lookup("token-1")
			.map((result) -> Thread.currentThread().getName())
			.subscribe(thread::complete, thread::completeExceptionally);
		this.foreign.execute(() -> answer.complete(active()));

		assertThat(thread.get(5, TimeUnit.SECONDS)).startsWith("parallel-");
	}

	@Test
	void lookupWhenCacheHitThenDownstreamStaysOnCallingThread() {
		ReactiveTokenLookup lookup = ReactiveTokenLookup.caching(cachedLookup(this.foreign));
		lookup.lookup("token-1").block(Duration.ofSeconds(5));

		String[] thread = new String[1];
		CacheStatus status = lookup.lookup("token-1")
			.doOnNext((result) -> thread[0] = Thread.currentThread().getName())
			.map((result) -> result.cacheStatus())
			.block(Duration.ofSeconds(5));

		assertThat(status).isEqualTo(CacheStatus.HIT);
		assertThat(thread[0]).isEqualTo(Thread.currentThread().getName());
	}

	@Test
	void lookupWhenUncachedAnswerArrivesOnForeignThreadThenDownstreamRunsOnParallelScheduler() {
		ReactiveTokenLookup lookup = ReactiveTokenLookup
			.uncached((token) -> Mono.fromFuture(CompletableFuture.supplyAsync(this::active, this.foreign)));

		String thread = lookup.lookup("token-1")
			.map((result) -> Thread.currentThread().getName())
			.block(Duration.ofSeconds(5));

		assertThat(thread).startsWith("parallel-");
	}

	private AsyncCachingLookup cachedLookup(Executor executor) {
		return new AsyncCachingLookup((token) -> CompletableFuture.supplyAsync(this::active, executor),
				IntrospectionCaches.activeTokens(Duration.ofMinutes(5), 100, this.clock),
				IntrospectionCaches.inactiveTokens(Duration.ofSeconds(10), 100), this.clock);
	}

	private IntrospectedToken active() {
		return IntrospectedToken.active(Map.of("sub", "alice", "exp", Instant.now().plusSeconds(300)));
	}

}
