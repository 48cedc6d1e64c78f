package io.github.tokenintrospection.internal.cache.shared;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.tokenintrospection.IntrospectedToken;
import io.github.tokenintrospection.internal.cache.CachingIntrospectionClient;
import io.github.tokenintrospection.internal.cache.IntrospectionCaches;
import io.github.tokenintrospection.internal.cache.TokenCache;
import io.github.tokenintrospection.internal.cache.TokenHash;
import io.github.tokenintrospection.testsupport.MutableClock;
import io.github.tokenintrospection.testsupport.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.serializer.RedisSerializer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two "instances" (each its own local cache, Redis connections and eviction channel)
 * sharing one real redis-server, whose data outlives a stop (an outage leaves Redis's
 * data as it was, like a Redis that could not be reached for a while).
 */
class TwoLevelCacheTests {

	private static final String TOKEN = "eyJhbGciOiJSUzI1NiJ9.raw-token-value-that-must-never-reach-redis";

	private static final String KEY = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

	private static final String OTHER_KEY = "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210";

	/** Each test its own keys and channel; nothing is flushed between tests. */
	private final String prefix = "test-" + java.util.UUID.randomUUID() + ":";

	private static RedisServer redisServer;

	private final List<AutoCloseable> resources = new ArrayList<>();

	private RedisTemplate<String, byte[]> redis;

	@BeforeAll
	static void startRedis() {
		redisServer = RedisServer.startPersistent();
	}

	@AfterAll
	static void stopRedis() {
		redisServer.close();
	}

	@BeforeEach
	void connect() {
		LettuceConnectionFactory factory = connectionFactory();
		this.redis = new RedisTemplate<>();
		this.redis.setConnectionFactory(factory);
		this.redis.setKeySerializer(RedisSerializer.string());
		this.redis.setValueSerializer(RedisSerializer.byteArray());
		this.redis.afterPropertiesSet();
	}

	@AfterEach
	void closeInstances() throws Exception {
		for (int i = this.resources.size() - 1; i >= 0; i--) {
			this.resources.get(i).close();
		}
	}

	@Test
	void getWhenOtherInstanceLoadedThenServedFromRedisWithoutLoading() {
		TwoLevelCache a = instance(null);
		TwoLevelCache b = instance(null);
		AtomicInteger loads = new AtomicInteger();
		IntrospectedToken token = activeToken(Instant.now().plusSeconds(300));

		assertThat(a.getOrLoad(KEY, () -> {
			loads.incrementAndGet();
			return token;
		})).isEqualTo(token);
		IntrospectedToken fromRedis = b.getOrLoad(KEY, () -> {
			loads.incrementAndGet();
			return token;
		});

		assertThat(loads).hasValue(1);
		assertThat(fromRedis.getClaims()).isEqualTo(token.getClaims());
		assertThat(fromRedis.expiresAt()).isEqualTo(token.expiresAt());
		assertThat(fromRedis.stringListClaim("scope")).containsExactly("notes:read", "notes:write");
		// Now in B's own cache too.
		assertThat(b.local().get(KEY)).isNotNull();
	}

	@Test
	void putThenRedisHoldsVersionedJsonClaimsWithoutRawTokenUnderPrefixedKey() {
		TwoLevelCache a = instance(null);
		a.put(KEY, activeToken(Instant.now().plusSeconds(300)));

		byte[] value = this.redis.opsForValue().get(this.prefix + "active:" + KEY);
		String json = new String(value, StandardCharsets.UTF_8);
		assertThat(json)
			.matches("\\{\"format\":1,\"key\":\"" + KEY + "\",\"stored\":\\d+,\"claims\":\\{\"active\":true,.*")
			.contains("\"sub\":\"alice\"")
			.doesNotContain(TOKEN)
			.doesNotContain("java.")
			.doesNotContain("IntrospectedToken");
		// Beside the entry, the index by user, which names the user by a hash only.
		assertThat(this.redis.keys(this.prefix + "*")).containsExactlyInAnyOrder(this.prefix + "active:" + KEY,
				this.prefix + "index:sub:" + TokenHash.sha256Hex("alice"));
	}

	@Test
	void putThenRedisEntryLivesUntilExpWhenSoonerThanTtl() {
		TwoLevelCache a = instance(null);
		a.put(KEY, activeToken(Instant.now().plusSeconds(20)));
		a.put(OTHER_KEY, activeToken(Instant.now().plusSeconds(3600)));

		long untilExp = this.redis.getExpire(this.prefix + "active:" + KEY, TimeUnit.MILLISECONDS);
		long ttl = this.redis.getExpire(this.prefix + "active:" + OTHER_KEY, TimeUnit.MILLISECONDS);
		assertThat(untilExp).isBetween(15_000L, 20_000L);
		assertThat(ttl).isBetween(55_000L, 60_000L);
	}

	@Test
	void putWhenTokenExpiredOrInactiveThenNothingWrittenToRedis() {
		TwoLevelCache a = instance(null);
		a.put(KEY, activeToken(Instant.now().minusSeconds(1)));
		a.put(OTHER_KEY, IntrospectedToken.inactive());

		assertThat(this.redis.keys(this.prefix + "*")).isEmpty();
	}

	@Test
	void getWhenValueHasAnotherFormatVersionThenMissAndLoads() {
		TwoLevelCache a = instance(null);
		a.put(KEY, activeToken(Instant.now().plusSeconds(300)));
		String json = new String(this.redis.opsForValue().get(this.prefix + "active:" + KEY), StandardCharsets.UTF_8);
		this.redis.opsForValue()
			.set(this.prefix + "active:" + KEY,
					json.replace("\"format\":1", "\"format\":2").getBytes(StandardCharsets.UTF_8));

		TwoLevelCache b = instance(null);
		assertThat(b.get(KEY)).isNull();
	}

	@Test
	void getWhenValueStoredLongerThanTtlAgoThenIgnoredAndLoaded() {
		TwoLevelCache a = instance(null);
		IntrospectedToken token = activeToken(Instant.now().plusSeconds(300));
		a.put(KEY, token);
		String json = new String(this.redis.opsForValue().get(this.prefix + "active:" + KEY), StandardCharsets.UTF_8);
		long stored = Instant.now().getEpochSecond();
		assertThat(json).contains("\"stored\":");
		// An old copy put back after a revocation (the TTL here is 60 s).
		String replayed = json.replaceFirst("\"stored\":\\d+", "\"stored\":" + (stored - 120));
		this.redis.opsForValue().set(this.prefix + "active:" + KEY, replayed.getBytes(StandardCharsets.UTF_8));

		TwoLevelCache b = instance(null);
		AtomicInteger loads = new AtomicInteger();
		assertThat(b.getOrLoad(KEY, () -> {
			loads.incrementAndGet();
			return token;
		})).isSameAs(token);
		assertThat(loads).hasValue(1);
		// Nor is a value claiming to be stored in the future.
		String future = json.replaceFirst("\"stored\":\\d+", "\"stored\":" + (stored + 3600));
		this.redis.opsForValue()
			.set(this.prefix + "active:" + OTHER_KEY, future.replace(KEY, OTHER_KEY).getBytes(StandardCharsets.UTF_8));
		assertThat(instance(null).get(OTHER_KEY)).isNull();
	}

	@Test
	void getWhenEncryptedValueStoredLongerThanTtlAgoThenIgnored() {
		byte[] key = Base64.getDecoder().decode("MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=");
		RedisAccess access = new RedisAccess(Duration.ofSeconds(2));
		this.resources.add(access);
		// Written two minutes ago, then replayed as it was.
		TwoLevelCache past = instance(key, access, Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-2)));
		past.put(KEY, activeToken(Instant.now().plusSeconds(300)));
		assertThat(this.redis.hasKey(this.prefix + "active:" + KEY)).isTrue();

		assertThat(instance(key).get(KEY)).isNull();
	}

	@Test
	void getWhenValueCraftedWithPastExpThenNotServed() {
		TwoLevelCache a = instance(null);
		a.put(KEY, activeToken(Instant.now().plusSeconds(300)));
		String json = new String(this.redis.opsForValue().get(this.prefix + "active:" + KEY), StandardCharsets.UTF_8);
		String crafted = json.replaceFirst("\"exp\":\\d+", "\"exp\":" + (Instant.now().getEpochSecond() - 10));
		assertThat(crafted).isNotEqualTo(json);
		this.redis.opsForValue().set(this.prefix + "active:" + KEY, crafted.getBytes(StandardCharsets.UTF_8));

		TwoLevelCache b = instance(null);
		assertThat(b.get(KEY)).isNull();
		IntrospectedToken loaded = activeToken(Instant.now().plusSeconds(300));
		assertThat(b.getOrLoad(KEY, () -> loaded)).isSameAs(loaded);
	}

	@Test
	void getWhenValueCopiedFromAnotherKeyThenMiss() {
		TwoLevelCache a = instance(null);
		a.put(KEY, activeToken(Instant.now().plusSeconds(300)));
		this.redis.opsForValue()
			.set(this.prefix + "active:" + OTHER_KEY, this.redis.opsForValue().get(this.prefix + "active:" + KEY));

		TwoLevelCache b = instance(null);
		assertThat(b.get(KEY)).isNotNull();
		assertThat(b.get(OTHER_KEY)).isNull();
	}

	@Test
	void putWhenEncryptedThenRedisHoldsNoClaimsAndOnlyInstancesWithTheKeyReadIt() {
		byte[] key = Base64.getDecoder().decode("MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=");
		byte[] otherKey = Base64.getDecoder().decode("ZmVkY2JhOTg3NjU0MzIxMGZlZGNiYTk4NzY1NDMyMTA=");
		TwoLevelCache a = instance(key);
		a.put(KEY, activeToken(Instant.now().plusSeconds(300)));

		String stored = new String(this.redis.opsForValue().get(this.prefix + "active:" + KEY),
				StandardCharsets.ISO_8859_1);
		assertThat(stored).doesNotContain("alice").doesNotContain("format").doesNotContain("notes:read");
		assertThat(instance(key).get(KEY)).isInstanceOf(IntrospectedToken.class);
		assertThat(instance(otherKey).get(KEY)).isNull();
		assertThat(instance(null).get(KEY)).isNull();
	}

	@Test
	void introspectWhenTokensInactiveThenNoDeletionOrEvictionMessageSentToRedis() {
		TwoLevelCache a = instance(null);
		CachingIntrospectionClient client = new CachingIntrospectionClient((token) -> IntrospectedToken.inactive(), a,
				IntrospectionCaches.inactiveTokens(Duration.ofSeconds(10), 1_000), Clock.systemUTC());
		long deletions = commandCalls("del") + commandCalls("unlink");
		long messages = commandCalls("publish");

		for (int i = 0; i < 50; i++) {
			assertThat(client.introspect("inactive-token-" + i).isActive()).isFalse();
		}

		// Clearing a load's inactive leftover is this instance's business, not a
		// revocation.
		assertThat(commandCalls("del") + commandCalls("unlink")).isEqualTo(deletions);
		assertThat(commandCalls("publish")).isEqualTo(messages);
		assertThat(this.redis.keys(this.prefix + "*")).isEmpty();
		// While a revocation still reaches Redis and the other instances.
		a.evict(KEY);
		assertThat(commandCalls("publish")).isEqualTo(messages + 1);
	}

	/** How often Redis has run a command so far ({@code INFO commandstats}). */
	private long commandCalls(String command) {
		Properties stats = this.redis
			.execute((RedisCallback<Properties>) (connection) -> connection.serverCommands().info("commandstats"));
		String line = stats.getProperty("cmdstat_" + command);
		if (line == null) {
			return 0;
		}
		Matcher calls = Pattern.compile("calls=(\\d+)").matcher(line);
		return calls.find() ? Long.parseLong(calls.group(1)) : 0;
	}

	@Test
	void evictThenGoneFromRedisAndFromOtherInstancesLocalCacheWithinASecond() {
		TwoLevelCache a = instance(null);
		TwoLevelCache b = instance(null);
		a.put(KEY, activeToken(Instant.now().plusSeconds(300)));
		assertThat(b.get(KEY)).isNotNull();
		assertThat(b.local().get(KEY)).isNotNull();

		a.evict(KEY);

		assertThat(this.redis.hasKey(this.prefix + "active:" + KEY)).isFalse();
		assertThat(a.local().get(KEY)).isNull();
		await().atMost(Duration.ofSeconds(1)).until(() -> b.local().get(KEY) == null);
	}

	@Test
	void getWhenRedisValueStoredBeforeThisInstancesEvictionThenNotServed() {
		TwoLevelCache a = instance(null);
		TwoLevelCache b = instance(null);
		a.put(KEY, activeToken(Instant.now().plusSeconds(300)));
		byte[] storedBeforeEviction = this.redis.opsForValue().get(this.prefix + "active:" + KEY);
		assertThat(b.get(KEY)).isNotNull();

		a.evict(KEY);
		await().atMost(Duration.ofSeconds(1)).until(() -> b.local().get(KEY) == null);
		// The old value is back in Redis: a deletion that did not get there, a replica...
		this.redis.opsForValue().set(this.prefix + "active:" + KEY, storedBeforeEviction);

		assertThat(a.get(KEY)).isNull();
		assertThat(b.get(KEY)).isNull();
		// An instance that never evicted the key reads the same value.
		assertThat(instance(null).get(KEY)).isNotNull();
	}

	@Test
	void evictWhenRedisUnreachableThenReportedThisInstanceOnlyAndSentOnceRedisAnswers() throws Exception {
		RedisAccess access = new RedisAccess(Duration.ofMillis(300));
		this.resources.add(access);
		// Lettuce's own command timeout short, as the README advises
		// (spring.data.redis.timeout).
		TwoLevelCache a = instance(access, Duration.ofSeconds(10), connectionFactory(Duration.ofMillis(500)));
		// B's own copy lives long: only the eviction message can drop it within the test.
		RedisAccess otherAccess = new RedisAccess(Duration.ofSeconds(2));
		this.resources.add(otherAccess);
		TwoLevelCache b = instance(otherAccess, Duration.ofMinutes(5), connectionFactory());
		a.put(KEY, activeToken(Instant.now().plusSeconds(300)));
		assertThat(b.get(KEY)).isNotNull();
		redisServer.stop();
		try {
			assertThat(a.evict(KEY)).isFalse();
			assertThat(a.pendingEvictions()).isOne();
			assertThat(a.local().get(KEY)).isNull();
			// Let Lettuce drop the deletion it holds for its reconnection, as a longer
			// outage does.
			Thread.sleep(1_000);
		}
		finally {
			redisServer.restart();
		}
		// Redis still holds the value, B its copy: the eviction has not reached them yet.
		assertThat(hasKeyOnNewConnection(this.prefix + "active:" + KEY)).isTrue();
		assertThat(b.local().get(KEY)).isNotNull();

		await().atMost(Duration.ofSeconds(20))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> a.pendingEvictions() == 0);
		assertThat(hasKeyOnNewConnection(this.prefix + "active:" + KEY)).isFalse();
		await().atMost(Duration.ofSeconds(2)).until(() -> b.local().get(KEY) == null);
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void stopWhenEvictionsStillPendingThenSaidOnce(CapturedOutput output) {
		RedisAccess access = new RedisAccess(Duration.ofMillis(300));
		this.resources.add(access);
		LettuceConnectionFactory factory = connectionFactory(Duration.ofMillis(500));
		EvictionChannel channel = new EvictionChannel(factory, this.prefix + "evictions", access);
		TwoLevelCache cache = SharedTokenCaches.activeTokens(
				IntrospectionCaches.activeTokens(Duration.ofSeconds(10), 100, Clock.systemUTC()), factory, this.prefix,
				Duration.ofSeconds(60), null, access, channel, Clock.systemUTC());
		channel.start();
		redisServer.stop();
		try {
			assertThat(cache.evict(KEY)).isFalse();
			assertThat(cache.pendingEvictions()).isOne();

			channel.stop();
		}
		finally {
			redisServer.restart();
		}

		assertThat(output.getAll())
			.containsOnlyOnce("Stopping with 1 eviction(s) of cache " + cache.name() + " that never reached Redis");
	}

	@Test
	void clearWhenRedisUnreachableThenReportedThisInstanceOnlyAndSentOnceRedisAnswers() throws Exception {
		RedisAccess access = new RedisAccess(Duration.ofMillis(300));
		this.resources.add(access);
		TwoLevelCache a = instance(access, Duration.ofSeconds(10), connectionFactory(Duration.ofMillis(500)));
		a.put(KEY, activeToken(Instant.now().plusSeconds(300)));
		redisServer.stop();
		try {
			assertThat(a.clear()).isFalse();
			assertThat(a.pendingEvictions()).isOne();
			Thread.sleep(1_000);
		}
		finally {
			redisServer.restart();
		}
		assertThat(hasKeyOnNewConnection(this.prefix + "active:" + KEY)).isTrue();

		await().atMost(Duration.ofSeconds(20))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> a.pendingEvictions() == 0);
		assertThat(hasKeyOnNewConnection(this.prefix + "active:" + KEY)).isFalse();
	}

	/** Asks Redis on a connection of its own, which is not waiting to reconnect. */
	private boolean hasKeyOnNewConnection(String key) {
		LettuceConnectionFactory factory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration("127.0.0.1", redisServer.port()));
		factory.afterPropertiesSet();
		factory.start();
		try {
			RedisTemplate<String, byte[]> template = new RedisTemplate<>();
			template.setConnectionFactory(factory);
			template.setKeySerializer(RedisSerializer.string());
			template.afterPropertiesSet();
			return Boolean.TRUE.equals(template.hasKey(key));
		}
		finally {
			factory.destroy();
		}
	}

	@Test
	void keysWithClaimThenAnswersAnotherInstanceLoadedFoundThroughRedisAndEvictedEverywhere() {
		TwoLevelCache a = instance(null);
		TwoLevelCache b = instance(null);
		IntrospectedToken alice = activeToken(Instant.now().plusSeconds(300));
		a.getOrLoad(KEY, () -> alice);
		IntrospectedToken bob = IntrospectedToken
			.active(Map.of("active", true, "sub", "bob", "exp", Instant.now().plusSeconds(300)));
		a.getOrLoad(OTHER_KEY, () -> bob);
		assertThat(b.local().containsHere(KEY)).isFalse();

		TokenCache.ClaimMatches matches = b.keysWithClaim("sub", "alice");

		assertThat(matches.keys()).containsExactly(KEY);
		assertThat(matches.sharedStoreSearched()).isTrue();
		assertThat(b.evict(KEY)).isTrue();
		await().atMost(Duration.ofSeconds(1)).until(() -> !a.local().containsHere(KEY));
		assertThat(a.local().containsHere(OTHER_KEY)).isTrue();
		assertThat(this.redis.hasKey(this.prefix + "active:" + OTHER_KEY)).isTrue();
	}

	@Test
	void indexWhenAnswersEndThenTheirMembersAreDroppedSoASetHoldsLiveAnswersOnly() {
		MutableClock clock = MutableClock.startingAt("2030-01-01T00:00:00Z");
		RedisAccess access = new RedisAccess(Duration.ofSeconds(2));
		this.resources.add(access);
		TwoLevelCache cache = instance(null, access, clock);
		Instant exp = clock.instant().plusSeconds(30);
		for (int i = 0; i < 5; i++) {
			cache.put("0" + i + KEY.substring(2),
					IntrospectedToken.active(Map.of("active", true, "sub", "ivan", "exp", exp)));
		}
		String index = this.prefix + "index:sub:" + TokenHash.sha256Hex("ivan");
		assertThat(this.redis.opsForZSet().size(index)).isEqualTo(5);

		// Past their exp and a TTL more (a local copy could live that long): dropped
		// when the set is next written, and never returned.
		clock.advance(Duration.ofSeconds(30 + 61));
		assertThat(
				this.redis.opsForZSet().rangeByScore(index, clock.instant().getEpochSecond(), Double.POSITIVE_INFINITY))
			.isEmpty();
		cache.put(OTHER_KEY, IntrospectedToken
			.active(Map.of("active", true, "sub", "ivan", "exp", clock.instant().plusSeconds(30))));

		assertThat(this.redis.opsForZSet().size(index)).isEqualTo(1);
		assertThat(this.redis.getExpire(index)).isBetween(1L, 30L + 60L);
	}

	@Test
	void indexWhenEncryptionKeyThenUsersNamedByAKeyedHashNotAPlainOne() {
		TwoLevelCache cache = instance(Base64.getDecoder().decode("MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="));

		cache.put(KEY, activeToken(Instant.now().plusSeconds(300)));

		assertThat(this.redis.keys(this.prefix + "index:sub:*")).hasSize(1)
			.doesNotContain(this.prefix + "index:sub:" + TokenHash.sha256Hex("alice"));
		assertThat(cache.keysWithClaim("sub", "alice").keys()).containsExactly(KEY);
	}

	@Test
	void replaceWhenTheEntryStillHoldsTheServedAnswerThenLocalAndRedisUpdatedElseNeither() {
		TwoLevelCache a = instance(null);
		IntrospectedToken served = activeToken(Instant.now().plusSeconds(300));
		a.getOrLoad(KEY, () -> served);
		Instant freshExp = Instant.ofEpochSecond(Instant.now().plusSeconds(600).getEpochSecond());
		IntrospectedToken fresh = IntrospectedToken.active(Map.of("active", true, "sub", "alice", "exp", freshExp));

		assertThat(a.replace(KEY, served, fresh)).isTrue();
		assertThat(a.local().get(KEY)).isSameAs(fresh);
		assertThat(instance(null).get(KEY).expiresAt()).as("written through to Redis").isEqualTo(freshExp);

		// Evicted (a revocation) after the refresh began: the refresh loses.
		a.evict(KEY);
		assertThat(a.replace(KEY, fresh, activeToken(Instant.now().plusSeconds(900)))).isFalse();
		assertThat(a.local().get(KEY)).isNull();
		assertThat(this.redis.hasKey(this.prefix + "active:" + KEY)).isFalse();
	}

	@Test
	void clearThenRedisAndEveryLocalCacheEmpty() {
		TwoLevelCache a = instance(null);
		TwoLevelCache b = instance(null);
		a.put(KEY, activeToken(Instant.now().plusSeconds(300)));
		b.put(OTHER_KEY, activeToken(Instant.now().plusSeconds(300)));
		assertThat(b.get(KEY)).isNotNull();

		a.clear();

		assertThat(this.redis.keys(this.prefix + "*")).isEmpty();
		await().atMost(Duration.ofSeconds(1))
			.until(() -> b.local().get(KEY) == null && b.local().get(OTHER_KEY) == null);
	}

	@Test
	void getWhenRedisDownThenLocalAndLoaderServeAndFailuresCountedUntilRedisIsBack() {
		RedisAccess access = new RedisAccess(Duration.ofMillis(300));
		this.resources.add(access);
		TwoLevelCache a = instance(null, access);
		IntrospectedToken token = activeToken(Instant.now().plusSeconds(300));
		a.put(KEY, token);
		redisServer.stop();
		try {
			long start = System.nanoTime();
			assertThat(a.get(KEY)).isSameAs(token);
			assertThat(a.getOrLoad(OTHER_KEY, () -> token)).isSameAs(token);
			a.evict(KEY);
			assertThat(a.getOrLoad(KEY, () -> token)).isSameAs(token);
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
			assertThat(access.failures()).isPositive();
			assertThat(access.isAvailable()).isFalse();
		}
		finally {
			redisServer.restart();
		}
		// Back in use once the retry interval has passed.
		await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(500)).until(() -> {
			a.put("aaaa" + KEY.substring(4), token);
			return access.isAvailable() && this.redis.hasKey(this.prefix + "active:aaaa" + KEY.substring(4));
		});
	}

	@Test
	void evictionChannelWhenRedisDownAtStartThenSubscribesOnceRedisAnswers() {
		TwoLevelCache a = instance(null);
		redisServer.stop();
		EvictionChannel channel;
		try {
			RedisAccess access = new RedisAccess(Duration.ofMillis(300));
			this.resources.add(access);
			channel = new EvictionChannel(connectionFactory(), this.prefix + "evictions", access);
			channel.start();
			this.resources.add(channel::stop);
			assertThat(channel.isListening()).isFalse();
		}
		finally {
			redisServer.restart();
		}
		await().atMost(Duration.ofSeconds(15)).until(channel::isListening);
		// Receives what another instance publishes.
		RedisAccess access = new RedisAccess(Duration.ofSeconds(2));
		this.resources.add(access);
		TwoLevelCache b = SharedTokenCaches.activeTokens(
				IntrospectionCaches.activeTokens(Duration.ofSeconds(10), 100, Clock.systemUTC()), connectionFactory(),
				this.prefix, Duration.ofSeconds(60), null, access, channel, Clock.systemUTC());
		b.local().put(KEY, activeToken(Instant.now().plusSeconds(300)));
		await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(200)).until(() -> {
			a.evict(KEY);
			return b.local().get(KEY) == null;
		});
	}

	@Test
	void evictWhileLoadInFlightThenLoadedResultNotWrittenToRedis() throws Exception {
		TwoLevelCache a = instance(null);
		IntrospectedToken token = activeToken(Instant.now().plusSeconds(300));
		CountDownLatch loading = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		CompletableFuture<IntrospectedToken> load = CompletableFuture.supplyAsync(() -> a.getOrLoad(KEY, () -> {
			loading.countDown();
			awaitQuietly(release);
			return token;
		}));
		assertThat(loading.await(5, TimeUnit.SECONDS)).isTrue();

		a.evict(KEY);
		release.countDown();

		assertThat(load.get(5, TimeUnit.SECONDS)).isSameAs(token);
		assertThat(this.redis.hasKey(this.prefix + "active:" + KEY)).isFalse();
		assertThat(a.local().get(KEY)).isNull();
	}

	@Test
	void evictOnOtherInstanceWhileLoadInFlightThenLoadedResultNotWrittenToRedis() throws Exception {
		TwoLevelCache a = instance(null);
		TwoLevelCache b = instance(null);
		IntrospectedToken token = activeToken(Instant.now().plusSeconds(300));
		CountDownLatch loading = new CountDownLatch(2);
		CountDownLatch release = new CountDownLatch(1);
		CompletableFuture<IntrospectedToken> load = CompletableFuture.supplyAsync(() -> a.getOrLoad(KEY, () -> {
			loading.countDown();
			awaitQuietly(release);
			return token;
		}));
		CompletableFuture<IntrospectedToken> retrieve = a.retrieveOrLoad(OTHER_KEY,
				() -> CompletableFuture.supplyAsync(() -> {
					loading.countDown();
					awaitQuietly(release);
					return token;
				}));
		assertThat(loading.await(5, TimeUnit.SECONDS)).isTrue();

		b.evict(KEY);
		b.clear();
		// A's channel has received both messages once B's own channel has them.
		Thread.sleep(500);
		release.countDown();

		assertThat(load.get(5, TimeUnit.SECONDS)).isSameAs(token);
		assertThat(retrieve.get(5, TimeUnit.SECONDS)).isSameAs(token);
		// Positive control: a background write submitted after the in-flight load's
		// reaches
		// Redis; by then that one would have too.
		String controlKey = "bb" + KEY.substring(2);
		assertThat(
				a.retrieveOrLoad(controlKey, () -> CompletableFuture.completedFuture(token)).get(5, TimeUnit.SECONDS))
			.isSameAs(token);
		await().atMost(Duration.ofSeconds(5)).until(() -> this.redis.hasKey(this.prefix + "active:" + controlKey));
		assertThat(this.redis.keys(this.prefix + "active:*")).containsExactly(this.prefix + "active:" + controlKey);
		// Nor is the evicted load indexed.
		assertThat(this.redis.opsForZSet().range(this.prefix + "index:sub:" + TokenHash.sha256Hex("alice"), 0, -1))
			.extracting((member) -> new String(member, StandardCharsets.UTF_8))
			.containsExactly(controlKey);
		// A load that started after the eviction is shared again.
		assertThat(a.getOrLoad("aa" + KEY.substring(2), () -> token)).isSameAs(token);
		assertThat(this.redis.hasKey(this.prefix + "active:aa" + KEY.substring(2))).isTrue();
	}

	@Test
	void redisAccessWhenCallNotStartedBeforeCallerStopsWaitingThenDropped() throws Exception {
		// No retry interval: the write that follows the failures is sent at once.
		RedisAccess access = new RedisAccess(Duration.ofMillis(500), Duration.ZERO);
		this.resources.add(access);
		CountDownLatch releaseOne = new CountDownLatch(1);
		CountDownLatch releaseOthers = new CountDownLatch(1);
		this.resources.add(releaseOthers::countDown);
		// Every thread of the pool busy (a slow Redis).
		for (int i = 0; i < 8; i++) {
			CountDownLatch release = (i == 0) ? releaseOne : releaseOthers;
			access.writeInBackground("put", () -> {
				try {
					release.await(10, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			});
		}
		AtomicInteger lateWrites = new AtomicInteger();
		Thread writer = new Thread(() -> access.write("put", lateWrites::incrementAndGet));
		writer.start();
		writer.join(5_000);
		// Positive control: queued behind the late write, run by the one thread released,
		// so
		// strictly after the late write would have run.
		AtomicInteger laterWrites = new AtomicInteger();
		access.writeInBackground("put", laterWrites::incrementAndGet);
		releaseOne.countDown();

		await().atMost(Duration.ofSeconds(5)).until(() -> laterWrites.get() == 1);
		assertThat(lateWrites).hasValue(0);
	}

	@Test
	void getWhenRedisDownAfterRetryIntervalThenOnlyOneCallerWaitsForRedis() throws Exception {
		RedisAccess access = new RedisAccess(Duration.ofMillis(500), Duration.ofSeconds(1));
		this.resources.add(access);
		TwoLevelCache a = instance(null, access);
		redisServer.stop();
		try {
			assertThat(a.get(KEY)).isNull();
			assertThat(access.isAvailable()).isFalse();
			long failures = access.failures();
			Thread.sleep(1_200);

			int callers = 6;
			java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(callers);
			this.resources.add(threads::shutdownNow);
			CountDownLatch start = new CountDownLatch(1);
			List<CompletableFuture<Duration>> calls = new ArrayList<>();
			for (int i = 0; i < callers; i++) {
				String key = i + KEY.substring(1);
				calls.add(CompletableFuture.supplyAsync(() -> {
					try {
						start.await();
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
					long begin = System.nanoTime();
					a.get(key);
					return Duration.ofNanos(System.nanoTime() - begin);
				}, threads));
			}
			start.countDown();
			List<Duration> waits = new ArrayList<>();
			for (CompletableFuture<Duration> call : calls) {
				waits.add(call.get(10, TimeUnit.SECONDS));
			}

			assertThat(waits.stream().filter((wait) -> wait.compareTo(Duration.ofMillis(400)) >= 0)).hasSize(1);
			assertThat(access.failures()).isEqualTo(failures + 1);
		}
		finally {
			redisServer.restart();
		}
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void evictionChannelWhenRedisDownWhileSubscribedThenOutageLoggedOnceAndResubscribes(CapturedOutput output)
			throws Exception {
		TwoLevelCache a = instance(null);
		TwoLevelCache b = instance(null);
		int before = output.getAll().length();
		redisServer.stop();
		try {
			Thread.sleep(3_000);
		}
		finally {
			redisServer.restart();
		}
		b.local().put(KEY, activeToken(Instant.now().plusSeconds(300)));
		await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).until(() -> {
			a.evict(KEY);
			return b.local().get(KEY) == null;
		});
		// Lettuce reconnects the subscription itself: the listener container sees no
		// failure,
		// so neither its ERROR with a stack trace nor a resubscription of ours.
		String logged = output.getAll().substring(before);
		assertThat(logged).doesNotContain(" ERROR ");
		assertThat(logged.lines().filter((line) -> line.contains(" WARN ") && line.contains("EvictionChannel")))
			.hasSizeLessThanOrEqualTo(2);
	}

	@Test
	void retrieveWhenOtherInstanceLoadedThenCompletesFromRedisWithoutLoading() throws Exception {
		TwoLevelCache a = instance(null);
		TwoLevelCache b = instance(null);
		IntrospectedToken token = activeToken(Instant.now().plusSeconds(300));
		AtomicInteger loads = new AtomicInteger();

		assertThat(a.retrieveOrLoad(KEY, () -> {
			loads.incrementAndGet();
			return CompletableFuture.completedFuture(token);
		}).get(5, TimeUnit.SECONDS)).isSameAs(token);
		await().atMost(Duration.ofSeconds(2)).until(() -> this.redis.hasKey(this.prefix + "active:" + KEY));
		Object fromRedis = b.retrieveOrLoad(KEY, () -> {
			loads.incrementAndGet();
			return CompletableFuture.completedFuture(token);
		}).get(5, TimeUnit.SECONDS);

		assertThat(loads).hasValue(1);
		assertThat(((IntrospectedToken) fromRedis).getClaims()).isEqualTo(token.getClaims());
		assertThat(b.get(KEY)).isNotNull();
		assertThat(b.get(OTHER_KEY)).isNull();
	}

	private TwoLevelCache instance(byte[] encryptionKey) {
		RedisAccess access = new RedisAccess(Duration.ofSeconds(2));
		this.resources.add(access);
		return instance(encryptionKey, access);
	}

	private TwoLevelCache instance(byte[] encryptionKey, RedisAccess access) {
		return instance(encryptionKey, access, Clock.systemUTC());
	}

	private TwoLevelCache instance(byte[] encryptionKey, RedisAccess access, Clock clock) {
		return instance(encryptionKey, access, clock, Duration.ofSeconds(10), connectionFactory());
	}

	private TwoLevelCache instance(RedisAccess access, Duration localTtl, LettuceConnectionFactory factory) {
		return instance(null, access, Clock.systemUTC(), localTtl, factory);
	}

	private TwoLevelCache instance(byte[] encryptionKey, RedisAccess access, Clock clock, Duration localTtl,
			LettuceConnectionFactory factory) {
		EvictionChannel channel = new EvictionChannel(factory, this.prefix + "evictions", access);
		TokenCache local = IntrospectionCaches.activeTokens(localTtl, 100, clock);
		TwoLevelCache cache = SharedTokenCaches.activeTokens(local, factory, this.prefix, Duration.ofSeconds(60),
				encryptionKey, access, channel, clock);
		channel.start();
		this.resources.add(channel::stop);
		await().atMost(Duration.ofSeconds(5)).until(channel::isListening);
		return cache;
	}

	private LettuceConnectionFactory connectionFactory() {
		return connectionFactory(Duration.ofSeconds(60));
	}

	private LettuceConnectionFactory connectionFactory(Duration commandTimeout) {
		LettuceConnectionFactory factory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration("127.0.0.1", redisServer.port()),
				LettuceClientConfiguration.builder().commandTimeout(commandTimeout).build());
		factory.afterPropertiesSet();
		factory.start();
		this.resources.add(factory::destroy);
		return factory;
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * As the authorization server's answers are parsed: whole seconds, active a claim
	 * too.
	 */
	private static IntrospectedToken activeToken(Instant expiry) {
		Instant expiresAt = Instant.ofEpochSecond(expiry.getEpochSecond());
		return IntrospectedToken.active(Map.of("active", true, "sub", "alice", "exp", expiresAt, "iat",
				Instant.ofEpochSecond(expiresAt.getEpochSecond() - 300), "scope", List.of("notes:read", "notes:write"),
				"aud", List.of("notes-api"), "realm_access", Map.of("roles", List.of("user", "admin"))));
	}

}
