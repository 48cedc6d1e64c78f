package io.github.tokenintrospection.autoconfigure;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import io.github.tokenintrospection.testsupport.RedisServer;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.security.autoconfigure.ReactiveUserDetailsServiceAutoConfiguration;
import org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.reactive.ReactiveWebSecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerAutoConfiguration;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.reactive.ReactiveOAuth2ResourceServerAutoConfiguration;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.web.OAuth2ResourceServerWebSecurityAutoConfiguration;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.web.reactive.ReactiveOAuth2ResourceServerWebSecurityAutoConfiguration;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.cache.RedisCacheManager;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.serializer.RedisSerializer;
import org.springframework.security.oauth2.core.OAuth2AuthenticatedPrincipal;
import org.springframework.security.oauth2.server.resource.introspection.BadOpaqueTokenException;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;
import org.springframework.security.oauth2.server.resource.introspection.ReactiveOpaqueTokenIntrospector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@code token-introspection.cache.name} naming a cache of a {@code RedisCacheManager}
 * with Spring Data Redis's defaults, which serialize values with the JDK, against a real
 * redis-server.
 */
class ApplicationRedisCacheTests {

	private static final String OPAQUETOKEN = "spring.security.oauth2.resourceserver.opaquetoken.";

	private static final String ACTIVE = "{\"active\":true,\"sub\":\"alice\",\"scope\":\"read write\","
			+ "\"exp\":4102444800,\"realm_access\":{\"roles\":[\"user\"]}}";

	private static RedisServer redisServer;

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TokenIntrospectionAutoConfiguration.class,
				OAuth2ResourceServerAutoConfiguration.class, OAuth2ResourceServerWebSecurityAutoConfiguration.class,
				SecurityAutoConfiguration.class, ServletWebSecurityAutoConfiguration.class))
		.withUserConfiguration(RedisCacheManagerConfiguration.class);

	private final ReactiveWebApplicationContextRunner reactiveRunner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TokenIntrospectionAutoConfiguration.class,
				ReactiveTokenIntrospectionAutoConfiguration.class, ReactiveOAuth2ResourceServerAutoConfiguration.class,
				ReactiveOAuth2ResourceServerWebSecurityAutoConfiguration.class, SecurityAutoConfiguration.class,
				ReactiveWebSecurityAutoConfiguration.class, ReactiveUserDetailsServiceAutoConfiguration.class))
		.withUserConfiguration(RedisCacheManagerConfiguration.class);

	private final MockWebServer server = new MockWebServer();

	private RedisTemplate<String, byte[]> redis;

	private LettuceConnectionFactory connectionFactory;

	@BeforeAll
	static void startRedis() {
		redisServer = RedisServer.start();
	}

	@AfterAll
	static void stopRedis() {
		redisServer.close();
	}

	@BeforeEach
	void start() throws IOException {
		this.server.start();
		this.connectionFactory = connectionFactory();
		this.redis = new RedisTemplate<>();
		this.redis.setConnectionFactory(this.connectionFactory);
		this.redis.setKeySerializer(RedisSerializer.string());
		this.redis.setValueSerializer(RedisSerializer.byteArray());
		this.redis.afterPropertiesSet();
		this.redis.execute((org.springframework.data.redis.core.RedisCallback<Void>) (connection) -> {
			connection.serverCommands().flushAll();
			return null;
		});
	}

	@AfterEach
	void stop() {
		this.server.close();
		this.connectionFactory.destroy();
	}

	@Test
	void cacheWhenNamedCacheOfRedisCacheManagerThenActiveTokenSerializedThereAndServedFromIt() {
		enqueueJson(ACTIVE);
		OAuth2AuthenticatedPrincipal[] first = new OAuth2AuthenticatedPrincipal[1];
		this.contextRunner.withPropertyValues(opaqueToken()).run((context) -> {
			assertThat(context).hasNotFailed();
			first[0] = context.getBean(OpaqueTokenIntrospector.class).introspect("token-1");
			assertThat(first[0].getAuthorities()).map(Object::toString).containsExactly("SCOPE_read", "SCOPE_write");
		});
		byte[] stored = this.redis.opsForValue().get("tokens::" + sha256Hex("token-1"));
		assertThat(stored).as("JDK serialization").startsWith((byte) 0xAC, (byte) 0xED);
		assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain("token-1");

		// Another instance (a fresh context) finds it in Redis, deserializes it and asks
		// no one.
		this.contextRunner.withPropertyValues(opaqueToken()).run((context) -> {
			OAuth2AuthenticatedPrincipal fromRedis = context.getBean(OpaqueTokenIntrospector.class)
				.introspect("token-1");
			assertThat(fromRedis.getName()).isEqualTo("alice");
			assertThat(fromRedis.getAttributes()).isEqualTo(first[0].getAttributes());
			assertThat(fromRedis.getAuthorities()).map(Object::toString).containsExactly("SCOPE_read", "SCOPE_write");
		});
		assertThat(this.server.getRequestCount()).isEqualTo(1);
	}

	@Test
	void cacheWhenInactiveTokenThenNothingWrittenToTheApplicationsCache() {
		enqueueJson("{\"active\":false}");
		this.contextRunner.withPropertyValues(opaqueToken()).run((context) -> {
			OpaqueTokenIntrospector introspector = context.getBean(OpaqueTokenIntrospector.class);
			assertThatExceptionOfType(BadOpaqueTokenException.class)
				.isThrownBy(() -> introspector.introspect("revoked-1"));
			// Known inactive: the starter's own inactive cache answers.
			assertThatExceptionOfType(BadOpaqueTokenException.class)
				.isThrownBy(() -> introspector.introspect("revoked-1"));
		});
		assertThat(this.server.getRequestCount()).isEqualTo(1);
		assertThat(this.redis.keys("*")).isEmpty();
	}

	@Test
	void cacheWhenReactiveApplicationNamesRedisCacheThenActiveTokenServedFromIt() {
		enqueueJson(ACTIVE);
		this.reactiveRunner.withPropertyValues(opaqueToken()).run((context) -> {
			assertThat(context).hasNotFailed();
			ReactiveOpaqueTokenIntrospector introspector = context.getBean(ReactiveOpaqueTokenIntrospector.class);
			StepVerifier.create(introspector.introspect("token-1"))
				.assertNext((principal) -> assertThat(principal.getName()).isEqualTo("alice"))
				.verifyComplete();
			assertThat(this.redis.hasKey("tokens::" + sha256Hex("token-1"))).isTrue();
			StepVerifier.create(introspector.introspect("token-1"))
				.assertNext((principal) -> assertThat(principal.getName()).isEqualTo("alice"))
				.verifyComplete();
		});
		assertThat(this.server.getRequestCount()).isEqualTo(1);
	}

	private String[] opaqueToken() {
		return new String[] { OPAQUETOKEN + "introspection-uri=" + this.server.url("/introspect"),
				OPAQUETOKEN + "client-id=notes-api", OPAQUETOKEN + "client-secret=s3cret",
				"token-introspection.cache.name=tokens" };
	}

	private void enqueueJson(String body) {
		this.server.enqueue(
				new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json").body(body).build());
	}

	private static LettuceConnectionFactory connectionFactory() {
		LettuceConnectionFactory factory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration("127.0.0.1", redisServer.port()));
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

	private static String sha256Hex(String token) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class RedisCacheManagerConfiguration {

		@Bean(destroyMethod = "destroy")
		LettuceConnectionFactory redisConnectionFactory() {
			return connectionFactory();
		}

		/**
		 * Spring Data Redis's defaults: JDK serialization, keys {@code tokens::<key>}.
		 */
		@Bean
		RedisCacheManager cacheManager(RedisConnectionFactory connectionFactory) {
			return RedisCacheManager.builder(connectionFactory).initialCacheNames(java.util.Set.of("tokens")).build();
		}

	}

}
