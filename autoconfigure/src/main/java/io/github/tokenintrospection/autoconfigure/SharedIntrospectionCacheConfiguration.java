package io.github.tokenintrospection.autoconfigure;

import java.time.Clock;
import java.time.Duration;

import io.github.tokenintrospection.internal.cache.IntrospectionCaches;
import io.github.tokenintrospection.internal.cache.TokenCache;
import io.github.tokenintrospection.internal.cache.TokenCaches;
import io.github.tokenintrospection.internal.cache.TokenHash;
import io.github.tokenintrospection.internal.cache.shared.EvictionChannel;
import io.github.tokenintrospection.internal.cache.shared.RedisAccess;
import io.github.tokenintrospection.internal.cache.shared.RedisProofReplays;
import io.github.tokenintrospection.internal.cache.shared.SharedTokenCaches;
import io.github.tokenintrospection.internal.possession.LocalProofReplays;
import io.github.tokenintrospection.internal.possession.ProofReplays;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.util.StringUtils;

/**
 * The two-level cache (each instance's Caffeine cache in front of Redis) and the eviction
 * channel between instances, with {@code token-introspection.cache.redis.enabled=true}.
 * Redis comes from Spring Boot's own auto-configuration ({@code spring.data.redis.*}).
 * Inactive tokens stay in each instance's own cache: they are cheap to ask about again,
 * and a flood of random tokens must not turn into writes to Redis.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = SharedIntrospectionCacheConfiguration.ENABLED)
class SharedIntrospectionCacheConfiguration {

	static final String ENABLED = TokenIntrospectionProperties.PREFIX + ".cache.redis.enabled";

	static final String CACHE_ENABLED = TokenIntrospectionProperties.PREFIX + ".cache.enabled";

	static final String ENCRYPTION_KEY = TokenIntrospectionProperties.PREFIX + ".cache.redis.encryption-key";

	private static final Log logger = LogFactory.getLog(SharedIntrospectionCacheConfiguration.class);

	private static final String REDIS_CONNECTION_FACTORY = "org.springframework.data.redis.connection.RedisConnectionFactory";

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = REDIS_CONNECTION_FACTORY)
	static class RedisCacheConfiguration {

		@Bean(destroyMethod = "close")
		@ConditionalOnMissingBean
		RedisAccess tokenIntrospectionRedisAccess(TokenIntrospectionProperties properties) {
			return new RedisAccess(properties.getCache().getRedis().getTimeout());
		}

		@Bean
		@ConditionalOnMissingBean
		EvictionChannel tokenIntrospectionEvictionChannel(ObjectProvider<RedisConnectionFactory> connectionFactory,
				TokenIntrospectionProperties properties, RedisAccess redisAccess) {
			return new EvictionChannel(required(connectionFactory), properties.getCache().getRedis().getChannel(),
					redisAccess);
		}

		@Bean
		@ConditionalOnMissingBean
		TokenCaches tokenIntrospectionCaches(TokenIntrospectionProperties properties,
				ObjectProvider<RedisConnectionFactory> connectionFactoryProvider, RedisAccess redisAccess,
				EvictionChannel evictionChannel) {
			RedisConnectionFactory connectionFactory = required(connectionFactoryProvider);
			TokenIntrospectionProperties.Cache cache = properties.getCache();
			TokenIntrospectionProperties.Cache.Redis redis = cache.getRedis();
			byte[] encryptionKey = TokenIntrospectionPropertiesValidator.encryptionKey(redis);
			if (StringUtils.hasText(cache.getName())) {
				throw new InvalidConfigurationPropertyValueException(ENABLED, true,
						"cannot be combined with " + TokenIntrospectionProperties.PREFIX
								+ ".cache.name (a cache of the application's own CacheManager)");
			}
			if (encryptionKey == null) {
				logger
					.warn("Values in Redis are not authenticated: anyone who can write to Redis can grant access; set "
							+ ENCRYPTION_KEY);
			}
			connectInBackground(connectionFactory);
			Clock clock = Clock.systemUTC();
			TokenCache local = IntrospectionCaches.activeTokens(localTtl(cache, redis), cache.getMaxSize(), clock);
			TokenCache active = SharedTokenCaches.activeTokens(local, connectionFactory, redis.getKeyPrefix(),
					cache.getTtl(), encryptionKey, redisAccess, evictionChannel, clock);
			return new TokenCaches(active,
					IntrospectionCaches.inactiveTokens(cache.getNegativeTtl(), cache.getNegativeMaxSize()));
		}

		/**
		 * A named server's caches share the default server's Redis (its connection,
		 * encryption key and eviction channel) under keys of their own:
		 * {@code <key-prefix><server>:}.
		 */
		@Bean
		@ConditionalOnMissingBean
		ServerCachesFactory tokenIntrospectionServerCaches(TokenIntrospectionProperties properties,
				ObjectProvider<RedisConnectionFactory> connectionFactory, RedisAccess redisAccess,
				EvictionChannel evictionChannel) {
			TokenIntrospectionProperties.Cache.Redis redis = properties.getCache().getRedis();
			byte[] encryptionKey = TokenIntrospectionPropertiesValidator.encryptionKey(redis);
			return (server, cache) -> {
				// A key of the server's own, so that an entry copied to another server's
				// keys does not decrypt there.
				byte[] serverKey = (encryptionKey != null) ? serverKey(encryptionKey, server) : null;
				Clock clock = Clock.systemUTC();
				TokenCache local = IntrospectionCaches.activeTokens(ServerCachesFactory.activeName(server),
						localTtl(cache, redis), cache.getMaxSize(), clock);
				TokenCache active = SharedTokenCaches.activeTokens(local, required(connectionFactory),
						redis.getKeyPrefix() + server + ":", cache.getTtl(), serverKey, redisAccess, evictionChannel,
						clock);
				return new TokenCaches(active, IntrospectionCaches.inactiveTokens(
						ServerCachesFactory.inactiveName(server), cache.getNegativeTtl(), cache.getNegativeMaxSize()));
			};
		}

		/**
		 * DPoP proofs recorded in the shared cache's Redis, so that a proof replayed to
		 * another instance is refused there too.
		 */
		@Bean
		@ConditionalOnMissingBean
		ProofReplays tokenIntrospectionProofReplays(TokenIntrospectionProperties properties,
				ObjectProvider<RedisConnectionFactory> connectionFactory, RedisAccess redisAccess) {
			return new RedisProofReplays(required(connectionFactory), properties.getCache().getRedis().getKeyPrefix(),
					redisAccess, new LocalProofReplays(properties.getSenderConstraint().getDpop().getMaxProofs()));
		}

		/** HMAC-SHA256 of the server's name under the configured key: 256 bits. */
		static byte[] serverKey(byte[] encryptionKey, String server) {
			return TokenHash.hmacSha256(encryptionKey, "token-introspection server " + server);
		}

		/** The instance's own copy lives no longer than the shared entry. */
		private static Duration localTtl(TokenIntrospectionProperties.Cache cache,
				TokenIntrospectionProperties.Cache.Redis redis) {
			return (redis.getLocalTtl().compareTo(cache.getTtl()) < 0) ? redis.getLocalTtl() : cache.getTtl();
		}

	}

	/**
	 * Lettuce connects on first use; on a busy machine that first connection can outlast
	 * {@code cache.redis.timeout} and start a back-off during which nothing is shared. So
	 * the connection is opened now, without holding up start-up; a failure here is not
	 * counted.
	 */
	private static void connectInBackground(RedisConnectionFactory connectionFactory) {
		Thread connect = new Thread(() -> {
			try (RedisConnection connection = connectionFactory.getConnection()) {
				connection.ping();
			}
			catch (RuntimeException ex) {
				logger.debug("Redis not reachable at start-up: " + ex.getMessage());
			}
		}, "token-introspection-redis-connect");
		connect.setDaemon(true);
		connect.start();
	}

	/** Spring Boot's Redis auto-configuration backs off, e.g. when it is excluded. */
	private static RedisConnectionFactory required(ObjectProvider<RedisConnectionFactory> connectionFactory) {
		RedisConnectionFactory factory = connectionFactory.getIfAvailable();
		if (factory == null) {
			throw new InvalidConfigurationPropertyValueException(ENABLED, true,
					"there is no RedisConnectionFactory bean (Spring Boot's Redis auto-configuration, spring.data.redis.*)");
		}
		return factory;
	}

	/**
	 * The shared cache is a cache: switching caching off while asking for it is a mistake
	 * to point out, not a setting to ignore.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty(name = ENABLED)
	static class CacheDisabledCheck {

		@Bean
		@ConditionalOnBooleanProperty(name = CACHE_ENABLED, havingValue = false)
		Object tokenIntrospectionSharedCacheCheck() {
			throw new InvalidConfigurationPropertyValueException(ENABLED, true,
					"cannot be combined with " + CACHE_ENABLED + "=false");
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingClass(REDIS_CONNECTION_FACTORY)
	static class MissingRedisConfiguration {

		@Bean
		TokenCaches tokenIntrospectionCaches() {
			throw new InvalidConfigurationPropertyValueException(ENABLED, true,
					"Spring Data Redis is not on the class path; add spring-boot-starter-data-redis");
		}

	}

}
