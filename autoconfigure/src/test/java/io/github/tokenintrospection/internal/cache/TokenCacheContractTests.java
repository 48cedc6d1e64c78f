package io.github.tokenintrospection.internal.cache;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import io.github.tokenintrospection.IntrospectedToken;
import io.github.tokenintrospection.internal.cache.shared.EvictionChannel;
import io.github.tokenintrospection.internal.cache.shared.RedisAccess;
import io.github.tokenintrospection.internal.cache.shared.SharedTokenCaches;
import io.github.tokenintrospection.testsupport.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.cache.concurrent.ConcurrentMapCache;
import org.springframework.data.redis.cache.RedisCacheConfiguration;
import org.springframework.data.redis.cache.RedisCacheManager;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * One contract, every {@link TokenCache}: the starter's Caffeine cache, the two-level
 * cache (Caffeine in front of a real Redis), and the adapter over an application's cache,
 * both an in-memory one and a {@code RedisCacheManager}'s, which serializes its values
 * with the JDK.
 */
class TokenCacheContractTests {

	private static final String KEY = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

	private static final String OTHER_KEY = "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210";

	private static RedisServer redisServer;

	private final List<AutoCloseable> resources = new ArrayList<>();

	private final AtomicInteger loads = new AtomicInteger();

	@BeforeAll
	static void startRedis() {
		redisServer = RedisServer.start();
	}

	@AfterAll
	static void stopRedis() {
		redisServer.close();
	}

	@AfterEach
	void close() throws Exception {
		for (int i = this.resources.size() - 1; i >= 0; i--) {
			this.resources.get(i).close();
		}
	}

	enum Variant {

		CAFFEINE, TWO_LEVEL, APPLICATION_IN_MEMORY, APPLICATION_REDIS

	}

	@ParameterizedTest
	@EnumSource(Variant.class)
	void getOrLoadWhenMissThenLoadsOnceAndServesTheResultAfterwards(Variant variant) {
		TokenCache cache = cache(variant);
		IntrospectedToken token = activeToken();

		assertThat(cache.getOrLoad(KEY, counting(token))).isSameAs(token);
		IntrospectedToken again = cache.getOrLoad(KEY, counting(token));

		assertThat(this.loads).hasValue(1);
		assertThat(again.getClaims()).isEqualTo(token.getClaims());
		assertThat(cache.get(KEY)).isNotNull();
		assertThat(cache.get(OTHER_KEY)).isNull();
	}

	@ParameterizedTest
	@EnumSource(Variant.class)
	void getOrLoadWhenManyCallersAtOnceThenOneLoadSharedByAll(Variant variant) throws Exception {
		TokenCache cache = cache(variant);
		IntrospectedToken token = activeToken();
		CountDownLatch loading = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		ExecutorService callers = Executors.newFixedThreadPool(4);
		try {
			Future<IntrospectedToken> first = callers.submit(() -> cache.getOrLoad(KEY, () -> {
				loading.countDown();
				awaitQuietly(release);
				return counting(token).get();
			}));
			assertThat(loading.await(5, TimeUnit.SECONDS)).isTrue();
			List<Future<IntrospectedToken>> waiters = new ArrayList<>();
			List<Thread> waiting = new java.util.concurrent.CopyOnWriteArrayList<>();
			for (int i = 0; i < 3; i++) {
				waiters.add(callers.submit(() -> {
					waiting.add(Thread.currentThread());
					return cache.getOrLoad(KEY, counting(token));
				}));
			}
			await().atMost(Duration.ofSeconds(5))
				.until(() -> waiting.size() == 3 && waiting.stream().allMatch(TokenCacheContractTests::waitsOnALoad));
			release.countDown();

			assertThat(first.get(5, TimeUnit.SECONDS)).isSameAs(token);
			for (Future<IntrospectedToken> waiter : waiters) {
				assertThat(waiter.get(5, TimeUnit.SECONDS).getClaims()).isEqualTo(token.getClaims());
			}
		}
		finally {
			callers.shutdownNow();
		}
		assertThat(this.loads).hasValue(1);
	}

	@ParameterizedTest
	@EnumSource(Variant.class)
	void getOrLoadWhenInactiveThenHandedToWaitersButNotKept(Variant variant) throws Exception {
		TokenCache cache = cache(variant);
		CountDownLatch loading = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		CompletableFuture<IntrospectedToken> first = new CompletableFuture<>();
		new Thread(() -> first.complete(cache.getOrLoad(KEY, () -> {
			loading.countDown();
			awaitQuietly(release);
			return counting(IntrospectedToken.inactive()).get();
		}))).start();
		assertThat(loading.await(5, TimeUnit.SECONDS)).isTrue();
		CompletableFuture<IntrospectedToken> waiter = new CompletableFuture<>();
		Thread waiterThread = new Thread(() -> waiter.complete(cache.getOrLoad(KEY, counting(activeToken()))));
		waiterThread.start();
		await().atMost(Duration.ofSeconds(5)).until(() -> waitsOnALoad(waiterThread));
		release.countDown();

		assertThat(first.get(5, TimeUnit.SECONDS)).isSameAs(IntrospectedToken.inactive());
		assertThat(waiter.get(5, TimeUnit.SECONDS).isActive()).isFalse();
		assertThat(this.loads).hasValue(1);
		assertThat(cache.get(KEY)).isNull();
		assertThat(cache.containsHere(KEY)).isFalse();
		assertThat(cache.getOrLoad(KEY, counting(activeToken())).isActive()).isTrue();
		assertThat(this.loads).hasValue(2);
	}

	@ParameterizedTest
	@EnumSource(Variant.class)
	void getOrLoadWhenLoaderFailsThenFailureThrownAndNotKept(Variant variant) {
		TokenCache cache = cache(variant);
		IllegalStateException outage = new IllegalStateException("authorization server down");

		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> cache.getOrLoad(KEY, () -> {
			this.loads.incrementAndGet();
			throw outage;
		})).isSameAs(outage);

		assertThat(cache.get(KEY)).isNull();
		assertThat(cache.getOrLoad(KEY, counting(activeToken())).isActive()).isTrue();
		assertThat(this.loads).hasValue(2);
	}

	@ParameterizedTest
	@EnumSource(Variant.class)
	void retrieveOrLoadWhenMissThenLoadsOnceAndServesTheResultAfterwards(Variant variant) throws Exception {
		TokenCache cache = cache(variant);
		IntrospectedToken token = activeToken();

		assertThat(cache.retrieveOrLoad(KEY, countingLater(token)).get(5, TimeUnit.SECONDS)).isSameAs(token);
		IntrospectedToken again = cache.retrieveOrLoad(KEY, countingLater(token)).get(5, TimeUnit.SECONDS);

		assertThat(this.loads).hasValue(1);
		assertThat(again.getClaims()).isEqualTo(token.getClaims());
	}

	@ParameterizedTest
	@EnumSource(Variant.class)
	void retrieveOrLoadWhenManyCallersAtOnceThenOneLoadSharedByAll(Variant variant) throws Exception {
		TokenCache cache = cache(variant);
		IntrospectedToken token = activeToken();
		CompletableFuture<IntrospectedToken> answer = new CompletableFuture<>();
		List<CompletableFuture<IntrospectedToken>> callers = new ArrayList<>();
		callers.add(cache.retrieveOrLoad(KEY, () -> {
			this.loads.incrementAndGet();
			return answer;
		}));
		await().atMost(Duration.ofSeconds(5)).until(() -> this.loads.get() == 1);
		for (int i = 0; i < 3; i++) {
			callers.add(cache.retrieveOrLoad(KEY, countingLater(token)));
		}
		answer.complete(token);

		for (CompletableFuture<IntrospectedToken> caller : callers) {
			assertThat(caller.get(5, TimeUnit.SECONDS).getClaims()).isEqualTo(token.getClaims());
		}
		assertThat(this.loads).hasValue(1);
	}

	@ParameterizedTest
	@EnumSource(Variant.class)
	void retrieveOrLoadWhenInactiveOrFailedThenNotKept(Variant variant) throws Exception {
		TokenCache cache = cache(variant);
		IllegalStateException outage = new IllegalStateException("authorization server down");

		assertThat(cache.retrieveOrLoad(KEY, countingLater(IntrospectedToken.inactive())).get(5, TimeUnit.SECONDS))
			.isSameAs(IntrospectedToken.inactive());
		assertThat(cache.retrieveOrLoad(OTHER_KEY, () -> CompletableFuture.failedFuture(outage)))
			.failsWithin(Duration.ofSeconds(5))
			.withThrowableOfType(java.util.concurrent.ExecutionException.class)
			.withRootCauseExactlyInstanceOf(IllegalStateException.class);

		assertThat(cache.get(KEY)).isNull();
		assertThat(cache.get(OTHER_KEY)).isNull();
		assertThat(cache.retrieveOrLoad(KEY, countingLater(activeToken())).get(5, TimeUnit.SECONDS).isActive())
			.isTrue();
		assertThat(this.loads).hasValue(2);
	}

	@ParameterizedTest
	@EnumSource(Variant.class)
	void evictHereEvictAndClearThenNextReadLoadsAgain(Variant variant) {
		TokenCache cache = cache(variant);
		cache.put(KEY, activeToken());
		cache.put(OTHER_KEY, activeToken());

		assertThat(cache.evictHere(KEY)).isTrue();
		assertThat(cache.evictHere(KEY)).isFalse();
		assertThat(cache.evict(OTHER_KEY)).isEqualTo(cache.isShared());
		assertThat(cache.get(OTHER_KEY)).isNull();
		cache.put(KEY, activeToken());
		assertThat(cache.clear()).isEqualTo(cache.isShared());

		assertThat(cache.getOrLoad(KEY, counting(activeToken())).isActive()).isTrue();
		assertThat(this.loads).hasValue(1);
	}

	@ParameterizedTest
	@EnumSource(Variant.class)
	void isSharedOnlyForTheTwoLevelCache(Variant variant) {
		assertThat(cache(variant).isShared()).isEqualTo(variant == Variant.TWO_LEVEL);
	}

	private TokenCache cache(Variant variant) {
		return switch (variant) {
			case CAFFEINE -> IntrospectionCaches.activeTokens(Duration.ofMinutes(5), 100, Clock.systemUTC());
			case TWO_LEVEL -> twoLevel();
			case APPLICATION_IN_MEMORY -> IntrospectionCaches.applicationCache(new ConcurrentMapCache("tokens"));
			case APPLICATION_REDIS -> IntrospectionCaches.applicationCache(redisCacheManager().getCache("tokens"));
		};
	}

	private TokenCache twoLevel() {
		String prefix = "contract-" + UUID.randomUUID() + ":";
		RedisAccess access = new RedisAccess(Duration.ofSeconds(2));
		this.resources.add(access);
		LettuceConnectionFactory factory = connectionFactory();
		EvictionChannel channel = new EvictionChannel(factory, prefix + "evictions", access);
		TokenCache cache = SharedTokenCaches.activeTokens(
				IntrospectionCaches.activeTokens(Duration.ofSeconds(10), 100, Clock.systemUTC()), factory, prefix,
				Duration.ofSeconds(60), null, access, channel, Clock.systemUTC());
		channel.start();
		this.resources.add(channel::stop);
		await().atMost(Duration.ofSeconds(5)).until(channel::isListening);
		return cache;
	}

	/** Spring Data Redis's defaults: JDK serialization of the values. */
	private RedisCacheManager redisCacheManager() {
		RedisCacheManager manager = RedisCacheManager.builder(connectionFactory())
			.cacheDefaults(RedisCacheConfiguration.defaultCacheConfig().prefixCacheNameWith(UUID.randomUUID() + ":"))
			.build();
		manager.afterPropertiesSet();
		return manager;
	}

	private LettuceConnectionFactory connectionFactory() {
		LettuceConnectionFactory factory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration("127.0.0.1", redisServer.port()));
		factory.afterPropertiesSet();
		factory.start();
		this.resources.add(factory::destroy);
		return factory;
	}

	private Supplier<IntrospectedToken> counting(IntrospectedToken result) {
		return () -> {
			this.loads.incrementAndGet();
			return result;
		};
	}

	private Supplier<CompletableFuture<IntrospectedToken>> countingLater(IntrospectedToken result) {
		return () -> {
			this.loads.incrementAndGet();
			return CompletableFuture.supplyAsync(() -> result);
		};
	}

	/**
	 * Whether a thread waits on a load in flight: on its future, or, in Caffeine, on the
	 * lock of the entry the load runs under (the starter's cache runs a blocking caller's
	 * load on its own thread, inside the entry's computation).
	 */
	private static boolean waitsOnALoad(Thread thread) {
		StackTraceElement[] stack = thread.getStackTrace();
		if (thread.getState() == Thread.State.BLOCKED && stack.length > 0
				&& stack[0].getClassName().equals(java.util.concurrent.ConcurrentHashMap.class.getName())) {
			return java.util.Arrays.stream(stack)
				.anyMatch((frame) -> frame.getClassName().startsWith("com.github.benmanes.caffeine."));
		}
		for (int i = 0; i < stack.length - 1; i++) {
			if (stack[i].getClassName().equals(CompletableFuture.class.getName())
					&& stack[i].getMethodName().equals("join")
					&& stack[i + 1].getClassName().startsWith(TokenCache.class.getPackageName())) {
				return true;
			}
		}
		return false;
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** As the authorization server's answers are parsed: whole seconds. */
	private static IntrospectedToken activeToken() {
		Instant exp = Instant.ofEpochSecond(Instant.now().plusSeconds(300).getEpochSecond());
		return IntrospectedToken.active(Map.of("active", true, "sub", "alice", "exp", exp, "scope",
				List.of("notes:read"), "realm_access", Map.of("roles", List.of("user"))));
	}

}
