package io.github.tokenintrospection.internal.cache.shared;

import java.time.Clock;
import java.time.Duration;

import io.github.tokenintrospection.internal.cache.IntrospectionCaches;
import io.github.tokenintrospection.internal.cache.TokenCache;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.cache.BatchStrategies;
import org.springframework.data.redis.cache.RedisCacheConfiguration;
import org.springframework.data.redis.cache.RedisCacheManager;
import org.springframework.data.redis.cache.RedisCacheWriter;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.serializer.RedisSerializationContext.SerializationPair;
import org.springframework.util.Assert;

/**
 * Builds the two-level cache of active tokens on Spring Data Redis's {@code RedisCache}:
 * keys {@code <prefix>active:<sha-256 of the token>}, values JSON (see
 * {@link SharedEntrySerializer}), optionally AES-GCM encrypted, each living
 * {@code min(ttl, exp - now)} in Redis like in the local cache.
 */
public final class SharedTokenCaches {

	/**
	 * Redis never gets an entry without expiry: Spring Data Redis reads zero as
	 * "forever".
	 */
	private static final Duration SHORTEST_REDIS_TTL = Duration.ofMillis(1);

	private SharedTokenCaches() {
	}

	/**
	 * Creates the cache of active tokens.
	 * @param local this instance's cache, whose TTL should be short
	 * @param connectionFactory the Redis connections (Spring Boot's)
	 * @param keyPrefix prefix of every key in Redis
	 * @param ttl the longest time an entry lives in Redis; never past {@code exp}
	 * @param encryptionKey a 256-bit AES key to encrypt values with, or {@code null}
	 * @param redis runs the calls to Redis
	 * @param evictions tells the other instances of evictions
	 * @param clock the wall clock that {@code exp} is compared with
	 * @return the cache, named like the local one
	 */
	public static TwoLevelCache activeTokens(TokenCache local, RedisConnectionFactory connectionFactory,
			String keyPrefix, Duration ttl, byte @Nullable [] encryptionKey, RedisAccess redis,
			EvictionChannel evictions, Clock clock) {
		Assert.notNull(connectionFactory, "connectionFactory must not be null");
		Assert.notNull(keyPrefix, "keyPrefix must not be null");
		Assert.notNull(ttl, "ttl must not be null");
		ClaimsCipher cipher = (encryptionKey != null) ? new ClaimsCipher(encryptionKey) : null;
		RedisCacheConfiguration configuration = RedisCacheConfiguration.defaultCacheConfig()
			.computePrefixWith((cacheName) -> keyPrefix + "active:")
			.disableCachingNullValues()
			.entryTtl((key, value) -> redisTtl(ttl, value, clock))
			.serializeValuesWith(SerializationPair.fromSerializer(new SharedEntrySerializer(cipher, ttl, clock)));
		// Writes immediate, not the asynchronous default: an instance asked right after
		// this
		// one answered must find the entry, and a failed write must be seen (RedisAccess
		// bounds the wait). SCAN, not KEYS, when clearing: KEYS blocks a large Redis.
		RedisCacheWriter writer = RedisCacheWriter.create(connectionFactory,
				(writerConfiguration) -> writerConfiguration.batchStrategy(BatchStrategies.scan(1000))
					.immediateWrites());
		RedisCacheManager manager = RedisCacheManager.builder(writer)
			.cacheDefaults(configuration)
			.initialCacheNames(java.util.Set.of(local.name()))
			.disableCreateOnMissingCache()
			.build();
		manager.afterPropertiesSet();
		SharedClaimIndex index = new SharedClaimIndex(new StringRedisTemplate(connectionFactory), keyPrefix, ttl,
				encryptionKey, clock);
		return new TwoLevelCache(local, manager.getCache(local.name()), index, redis, evictions, ttl, clock);
	}

	static Duration redisTtl(Duration ttl, @Nullable Object value, Clock clock) {
		Object token = (value instanceof SharedEntry entry) ? entry.token() : value;
		Duration lifetime = IntrospectionCaches.lifetime(ttl, token, clock);
		return (lifetime.compareTo(SHORTEST_REDIS_TTL) < 0) ? SHORTEST_REDIS_TTL : lifetime;
	}

}
