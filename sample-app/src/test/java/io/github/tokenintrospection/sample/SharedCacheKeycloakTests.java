package io.github.tokenintrospection.sample;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

import io.github.tokenintrospection.client.RestClientIntrospectionClient;
import io.github.tokenintrospection.testsupport.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.serializer.RedisSerializer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two instances of the notes API (two Spring contexts on their own ports) sharing one
 * real redis-server, against the real Keycloak.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SharedCacheKeycloakTests {

	private static final String TRANSMITTER_AUTHORIZATION = "Bearer fleet-transmitter-secret";

	private static RedisServer redis;

	private static Instance a;

	private static Instance b;

	@BeforeAll
	static void startInstances() {
		redis = RedisServer.start();
		// A receives Keycloak's security events; B does not.
		a = Instance.start(redis.port(), "--token-introspection.security-events.enabled=true",
				"--token-introspection.security-events.issuer=" + NotesKeycloak.realmUrl(),
				"--token-introspection.security-events.audience=" + KeycloakSecurityEvents.AUDIENCE,
				"--token-introspection.security-events.push.authorization=" + TRANSMITTER_AUTHORIZATION);
		b = Instance.start(redis.port());
	}

	@AfterAll
	static void stopInstances() {
		if (a != null) {
			a.context.close();
		}
		if (b != null) {
			b.context.close();
		}
		if (redis != null) {
			redis.close();
		}
	}

	@Test
	@Order(1)
	void tokenIntrospectedByOneInstanceThenServedByTheOtherWithoutKeycloak() {
		String token = NotesKeycloak.passwordGrant("notes-web", "bob", "").accessToken();
		long callsA = a.calls();
		long callsB = b.calls();

		assertThat(a.api().get("/api/notes", token).statusCode()).isEqualTo(200);
		assertThat(b.api().get("/api/notes", token).statusCode()).isEqualTo(200);
		assertThat(b.api().get("/api/notes", token).statusCode()).isEqualTo(200);

		assertThat(a.calls()).isEqualTo(callsA + 1);
		assertThat(b.calls()).isEqualTo(callsB);
	}

	@Test
	@Order(2)
	void redisHoldsHashedKeysAndClaimsButNoRawToken() {
		String token = NotesKeycloak.passwordGrant("notes-web", "bob", "").accessToken();
		assertThat(a.api().get("/api/notes", token).statusCode()).isEqualTo(200);

		RedisTemplate<String, byte[]> template = a.redisTemplate();
		Set<String> keys = template.keys("token-introspection:*");
		assertThat(keys).contains("token-introspection:active:" + sha256(token));
		for (String key : keys) {
			assertThat(key).doesNotContain(token);
			if (key.startsWith("token-introspection:index:")) {
				// The index by user and session: hashes of the identifiers and tokens.
				assertThat(template.opsForZSet().range(key, 0, -1)).allSatisfy(
						(member) -> assertThat(new String(member, StandardCharsets.UTF_8)).matches("[0-9a-f]{64}"));
				continue;
			}
			String value = new String(template.opsForValue().get(key), StandardCharsets.UTF_8);
			assertThat(value).startsWith("{\"format\":1,").doesNotContain(token);
			// Not even a part of it: Keycloak's tokens are JWTs, whose signature is
			// unique.
			assertThat(value).doesNotContain(token.substring(token.lastIndexOf('.') + 1));
		}
	}

	@Test
	@Order(3)
	void evictOnOneInstanceThenTheOtherIntrospectsAgain() throws InterruptedException {
		String admin = NotesKeycloak.passwordGrant("notes-web", "alice", "").accessToken();
		String token = NotesKeycloak.passwordGrant("notes-web", "bob", "").accessToken();
		assertThat(a.api().get("/api/notes", token).statusCode()).isEqualTo(200);
		assertThat(b.api().get("/api/notes", token).statusCode()).isEqualTo(200);
		long callsB = b.calls();
		assertThat(b.api().get("/api/notes", token).statusCode()).isEqualTo(200);
		assertThat(b.calls()).isEqualTo(callsB);

		HttpResponse<String> eviction = a.api()
			.post("/actuator/tokenintrospection", admin, "{\"token\":\"" + token + "\"}");
		assertThat(eviction.statusCode()).isEqualTo(200);
		assertThat(eviction.body()).contains("\"scope\":\"all-instances\"");
		assertThat(a.redisTemplate().hasKey("token-introspection:active:" + sha256(token))).isFalse();
		// The eviction reaches B's own cache within a second (its local TTL is 10 s).
		Thread.sleep(1_000);

		assertThat(b.api().get("/api/notes", token).statusCode()).isEqualTo(200);
		assertThat(b.calls()).isEqualTo(callsB + 1);
	}

	@Test
	@Order(4)
	void securityEventPushedToOneInstanceThenBothIntrospectTheUsersTokenAgain() {
		KeycloakSecurityEvents.streamTo("notes-events-fleet", a.port(), TRANSMITTER_AUTHORIZATION);
		String heidi = NotesKeycloak.passwordGrant("notes-web", "heidi", "").accessToken();
		assertThat(a.api().get("/api/notes", heidi).statusCode()).isEqualTo(200);
		assertThat(b.api().get("/api/notes", heidi).statusCode()).isEqualTo(200);
		long callsB = b.calls();
		assertThat(b.api().get("/api/notes", heidi).statusCode()).as("cached on B").isEqualTo(200);
		assertThat(b.calls()).isEqualTo(callsB);

		KeycloakSecurityEvents.resetPassword("heidi");

		// Keycloak pushes to A only; A's eviction reaches B through Redis.
		await("credential-change pushed to A and evicted on B").atMost(Duration.ofSeconds(60)).until(() -> {
			b.api().get("/api/notes", heidi);
			return b.calls() > callsB;
		});
	}

	@Test
	@Order(5)
	void redisStoppedThenBothInstancesStillServe() {
		String cached = NotesKeycloak.passwordGrant("notes-web", "bob", "").accessToken();
		assertThat(a.api().get("/api/notes", cached).statusCode()).isEqualTo(200);
		assertThat(b.api().get("/api/notes", cached).statusCode()).isEqualTo(200);
		String fresh = NotesKeycloak.passwordGrant("notes-web", "bob", "").accessToken();
		redis.stop();
		try {
			long start = System.nanoTime();
			for (Instance instance : new Instance[] { a, b }) {
				long calls = instance.calls();
				assertThat(instance.api().get("/api/notes", cached).statusCode()).isEqualTo(200);
				assertThat(instance.api().get("/api/notes", fresh).statusCode()).isEqualTo(200);
				assertThat(instance.api().get("/api/notes", fresh).statusCode()).isEqualTo(200);
				assertThat(instance.api().get("/api/notes", "not-a-valid-token").statusCode()).isEqualTo(401);
				// Keycloak is asked as without a shared cache: once per token it has not
				// seen.
				assertThat(instance.calls()).isEqualTo(calls + 2);
			}
			// Each Redis call waits at most the configured timeout, then Redis is left
			// alone.
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
		}
		finally {
			redis.restart();
		}
	}

	private static String sha256(String token) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** One instance of the notes API with the shared cache on. */
	private record Instance(ConfigurableApplicationContext context, int port) {

		static Instance start(int redisPort, String... more) {
			// Command-line arguments: they take precedence over application.yml (port
			// 8081).
			List<String> arguments = new ArrayList<>(
					List.of("--server.port=0", "--keycloak.url=" + NotesKeycloak.container().getAuthServerUrl(),
							"--token-introspection.cache.redis.enabled=true", "--spring.data.redis.host=127.0.0.1",
							"--spring.data.redis.port=" + redisPort, "--spring.data.redis.timeout=1s",
							"--token-introspection.cache.redis.timeout=300ms"));
			arguments.addAll(List.of(more));
			ConfigurableApplicationContext context = new SpringApplicationBuilder(NotesApplication.class)
				.run(arguments.toArray(String[]::new));
			return new Instance(context, Integer.parseInt(context.getEnvironment().getProperty("local.server.port")));
		}

		NotesApiClient api() {
			return new NotesApiClient(this.port);
		}

		long calls() {
			return this.context.getBean(RestClientIntrospectionClient.class).requestCount();
		}

		RedisTemplate<String, byte[]> redisTemplate() {
			RedisTemplate<String, byte[]> template = new RedisTemplate<>();
			template.setConnectionFactory(
					this.context.getBean(org.springframework.data.redis.connection.RedisConnectionFactory.class));
			template.setKeySerializer(RedisSerializer.string());
			template.setValueSerializer(RedisSerializer.byteArray());
			template.afterPropertiesSet();
			return template;
		}

	}

}
