package io.github.tokenintrospection.autoconfigure;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import com.github.benmanes.caffeine.cache.Policy;
import io.github.tokenintrospection.IntrospectedToken;
import io.github.tokenintrospection.cache.IntrospectionCacheControl;
import io.github.tokenintrospection.internal.cache.CaffeineEntries;
import io.github.tokenintrospection.internal.cache.IntrospectionCaches;
import io.github.tokenintrospection.internal.cache.TokenCaches;
import io.github.tokenintrospection.internal.cache.shared.EvictionChannel;
import io.github.tokenintrospection.internal.cache.shared.RedisAccess;
import io.github.tokenintrospection.internal.cache.shared.TwoLevelCache;
import io.github.tokenintrospection.testsupport.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
class SharedCacheAutoConfigurationTests {

	private static RedisServer redisServer;

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TokenIntrospectionAutoConfiguration.class,
				OAuth2ResourceServerAutoConfiguration.class, DataRedisAutoConfiguration.class))
		.withPropertyValues(
				"spring.security.oauth2.resourceserver.opaquetoken.introspection-uri=https://idp.example/introspect",
				"spring.security.oauth2.resourceserver.opaquetoken.client-id=notes-api",
				"spring.security.oauth2.resourceserver.opaquetoken.client-secret=s3cret");

	@BeforeAll
	static void startRedis() {
		redisServer = RedisServer.start();
	}

	@AfterAll
	static void stopRedis() {
		redisServer.close();
	}

	@Test
	void cachesWhenRedisNotEnabledThenLocalOnlyAndNoRedisBeans() {
		this.contextRunner.run((context) -> {
			// The starter's own Caffeine cache, alone.
			assertThat(CaffeineEntries.of(context.getBean(TokenCaches.class).active())).isNotNull();
			assertThat(context.getBean(TokenCaches.class).active()).isNotInstanceOf(TwoLevelCache.class);
			assertThat(context).doesNotHaveBean(EvictionChannel.class).doesNotHaveBean(RedisAccess.class);
		});
	}

	@Test
	void cachesWhenRedisEnabledThenTwoLevelWithCappedLocalTtlAndLocalInactiveCache() {
		this.contextRunner
			.withPropertyValues("token-introspection.cache.redis.enabled=true",
					"spring.data.redis.port=" + redisServer.port(), "token-introspection.cache.redis.local-ttl=3s",
					"token-introspection.cache.redis.key-prefix=orders:")
			.run((context) -> {
				TokenCaches caches = context.getBean(TokenCaches.class);
				assertThat(caches.active()).isInstanceOf(TwoLevelCache.class);
				assertThat(caches.inactive().isShared()).isFalse();
				assertThat(caches.inactive().name()).isEqualTo(IntrospectionCaches.INACTIVE_CACHE_NAME);
				assertThat(context.getBean(EvictionChannel.class).isRunning()).isTrue();
				// The local TTL is capped: an entry of a token valid for an hour lives 3
				// s here.
				TwoLevelCache active = (TwoLevelCache) caches.active();
				IntrospectedToken token = IntrospectedToken
					.active(Map.of("active", true, "sub", "alice", "exp", Instant.now().plusSeconds(3600)));
				active.put("ab".repeat(32), token);
				com.github.benmanes.caffeine.cache.Cache<String, Object> local = CaffeineEntries.of(active);
				Policy.VarExpiration<String, Object> expiry = local.policy().expireVariably().orElseThrow();
				assertThat(expiry.getExpiresAfter("ab".repeat(32)).orElseThrow())
					.isLessThanOrEqualTo(Duration.ofSeconds(3));
				StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
				assertThat(redis.hasKey("orders:active:" + "ab".repeat(32))).isTrue();
				// Eviction through the starter's API reaches Redis.
				context.getBean(IntrospectionCacheControl.class).evictByFingerprint("ab".repeat(6));
				assertThat(redis.hasKey("orders:active:" + "ab".repeat(32))).isFalse();
			});
	}

	@Test
	void startupWhenRedisEnabledWithoutEncryptionKeyThenWarnsThatValuesAreNotAuthenticated(CapturedOutput output) {
		this.contextRunner
			.withPropertyValues("token-introspection.cache.redis.enabled=true",
					"spring.data.redis.port=" + redisServer.port())
			.run((context) -> assertThat(context).hasNotFailed());
		assertThat(output).containsOnlyOnce("Values in Redis are not authenticated")
			.contains("token-introspection.cache.redis.encryption-key");
	}

	@Test
	void startupWhenRedisEnabledWithEncryptionKeyThenNoWarning(CapturedOutput output) {
		this.contextRunner
			.withPropertyValues("token-introspection.cache.redis.enabled=true",
					"spring.data.redis.port=" + redisServer.port(),
					"token-introspection.cache.redis.encryption-key=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=")
			.run((context) -> assertThat(context).hasNotFailed());
		assertThat(output).doesNotContain("Values in Redis are not authenticated");
	}

	@Test
	void startupWhenRedisUnreachableThenStartsAndCachesLocally() throws Exception {
		int closedPort;
		try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
			closedPort = socket.getLocalPort();
		}
		this.contextRunner
			.withPropertyValues("token-introspection.cache.redis.enabled=true", "spring.data.redis.port=" + closedPort,
					"token-introspection.cache.redis.timeout=200ms")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				TwoLevelCache active = (TwoLevelCache) context.getBean(TokenCaches.class).active();
				IntrospectedToken token = IntrospectedToken
					.active(Map.of("active", true, "sub", "alice", "exp", Instant.now().plusSeconds(3600)));
				assertThat(active.getOrLoad("cd".repeat(32), () -> token)).isSameAs(token);
				assertThat(active.get("cd".repeat(32))).isSameAs(token);
				assertThat(context.getBean(RedisAccess.class).failures()).isPositive();
				assertThat(context.getBean(EvictionChannel.class).isListening()).isFalse();
			});
	}

	@Test
	void startupWhenRedisEnabledTogetherWithApplicationCacheThenFailsNamingTheProperty() {
		this.contextRunner
			.withPropertyValues("token-introspection.cache.redis.enabled=true",
					"spring.data.redis.port=" + redisServer.port(), "token-introspection.cache.name=tokens")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("token-introspection.cache.redis.enabled")
				.hasMessageContaining("token-introspection.cache.name"));
	}

	@Test
	void startupWhenRedisEnabledWithCacheDisabledThenFailsNamingTheProperty() {
		this.contextRunner
			.withPropertyValues("token-introspection.cache.redis.enabled=true",
					"spring.data.redis.port=" + redisServer.port(), "token-introspection.cache.enabled=false")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("token-introspection.cache.redis.enabled")
				.hasMessageContaining("token-introspection.cache.enabled=false"));
	}

	@Test
	void startupWhenRedisEnabledWithoutRedisConnectionFactoryThenFailsNamingTheProperty() {
		new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(TokenIntrospectionAutoConfiguration.class,
					OAuth2ResourceServerAutoConfiguration.class))
			.withPropertyValues(
					"spring.security.oauth2.resourceserver.opaquetoken.introspection-uri=https://idp.example/introspect",
					"spring.security.oauth2.resourceserver.opaquetoken.client-id=notes-api",
					"spring.security.oauth2.resourceserver.opaquetoken.client-secret=s3cret",
					"token-introspection.cache.redis.enabled=true")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("token-introspection.cache.redis.enabled")
				.hasMessageContaining("RedisConnectionFactory"));
	}

	@Test
	void startupWhenRedisEnabledWithoutSpringDataRedisThenFailsNamingTheProperty() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("org.springframework.data.redis"))
			.withPropertyValues("token-introspection.cache.redis.enabled=true")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("token-introspection.cache.redis.enabled")
				.hasMessageContaining("spring-boot-starter-data-redis"));
	}

}
