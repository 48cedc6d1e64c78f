package io.github.tokenintrospection.contract;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import io.github.tokenintrospection.cache.CacheEviction;
import io.github.tokenintrospection.cache.IntrospectionCacheControl;
import io.github.tokenintrospection.testsupport.AuthorizationServerStub;
import io.github.tokenintrospection.testsupport.DPoPProofs;
import io.github.tokenintrospection.testsupport.RedisServer;
import io.github.tokenintrospection.testsupport.SecurityEventTransmitter;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.data.redis.core.StringRedisTemplate;

import static io.github.tokenintrospection.testsupport.AuthorizationServerStub.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two instances of the notes API sharing a real Redis (the two-level cache), the same on
 * each {@link Stack}: a token introspected through one is served by the other without a
 * call, also for a named server (under its own keys), and concurrent first requests on
 * one instance share one call. On the reactive stack BlockHound watches the event loops
 * and Reactor's threads meanwhile.
 */
class SharedCacheTests {

	private static final String OPAQUETOKEN = "spring.security.oauth2.resourceserver.opaquetoken.";

	private static final String PARTNERS = "token-introspection.authorization-servers.partners.";

	private static final AuthorizationServerStub authorizationServer = new AuthorizationServerStub();

	/** A named server, for requests with {@code X-Tenant: partners}. */
	private static final AuthorizationServerStub partnersServer = new AuthorizationServerStub();

	private static final RedisServer redisServer = RedisServer.start();

	private static final DPoPProofs dpopClient = DPoPProofs.generate();

	private static final SecurityEventTransmitter transmitter = SecurityEventTransmitter.start();

	private static final RunningStacks instanceA = new RunningStacks(properties());

	private static final RunningStacks instanceB = new RunningStacks(properties());

	@AfterAll
	static void stop() {
		instanceA.close();
		instanceB.close();
		authorizationServer.close();
		partnersServer.close();
		redisServer.close();
		transmitter.close();
	}

	@BeforeEach
	void answerByToken() {
		authorizationServer.answer(SharedCacheTests::answer);
		partnersServer.answer(SharedCacheTests::answer);
	}

	@ParameterizedTest
	@EnumSource
	void getWhenTokenIntrospectedThroughOneInstanceThenOtherServesItWithoutCall(Stack stack) {
		String token = token(stack, "shared-token");
		HttpResponse<String> first = instanceA.on(stack).get("/notes", token);
		assertThat(first.statusCode()).isEqualTo(200);
		assertThat(authorizationServer.calls(token)).isEqualTo(1);
		// A loaded result is written to Redis after the answer, in the background.
		awaitSharedEntry(instanceA.on(stack), token);

		HttpResponse<String> second = instanceB.on(stack).get("/notes", token);

		assertThat(second.statusCode()).isEqualTo(200);
		assertThat(second.body()).isEqualTo("notes of alice");
		assertThat(authorizationServer.calls(token)).isEqualTo(1);
	}

	@ParameterizedTest
	@EnumSource
	void evictSubjectOnOneInstanceThenUsersTokensIntrospectedAgainOnBothAndOtherUsersStay(Stack stack) {
		String carol = token(stack, "of-carol");
		String dave = token(stack, "of-dave");
		for (String token : List.of(carol, dave)) {
			assertThat(instanceA.on(stack).get("/notes", token).statusCode()).isEqualTo(200);
			awaitSharedEntry(instanceA.on(stack), token);
			assertThat(instanceB.on(stack).get("/notes", token).statusCode()).isEqualTo(200);
			assertThat(authorizationServer.calls(token)).isEqualTo(1);
		}

		// B never asked the server for carol's token: Redis's index tells it the key.
		CacheEviction eviction = instanceB.on(stack).bean(IntrospectionCacheControl.class).evictSubject("carol");

		assertThat(eviction.reachedAllInstances()).isTrue();
		assertThat(eviction.evicted()).isEqualTo(1);
		await("eviction reached A").atMost(Duration.ofSeconds(5)).until(() -> {
			instanceA.on(stack).get("/notes", carol);
			return authorizationServer.calls(carol) == 2;
		});
		assertThat(instanceA.on(stack).get("/notes", dave).statusCode()).isEqualTo(200);
		assertThat(instanceB.on(stack).get("/notes", dave).statusCode()).isEqualTo(200);
		assertThat(authorizationServer.calls(dave)).isEqualTo(1);
	}

	@ParameterizedTest
	@EnumSource
	void pushSecurityEventToOneInstanceThenBothEvictTheUsersAnswers(Stack stack) {
		String grace = token(stack, "of-grace");
		String heidi = token(stack, "of-heidi");
		for (String token : List.of(grace, heidi)) {
			assertThat(instanceA.on(stack).get("/notes", token).statusCode()).isEqualTo(200);
			awaitSharedEntry(instanceA.on(stack), token);
			assertThat(instanceB.on(stack).get("/notes", token).statusCode()).isEqualTo(200);
		}

		HttpResponse<String> delivered = transmitter.push(
				"http://localhost:" + instanceA.on(stack).port() + "/security-events",
				transmitter.credentialChange("notes-api-events", "grace"), null);

		assertThat(delivered.statusCode()).as(delivered.body()).isEqualTo(202);
		await("eviction reached B").atMost(Duration.ofSeconds(5)).until(() -> {
			instanceB.on(stack).get("/notes", grace);
			return authorizationServer.calls(grace) == 2;
		});
		assertThat(instanceA.on(stack).get("/notes", heidi).statusCode()).isEqualTo(200);
		assertThat(instanceB.on(stack).get("/notes", heidi).statusCode()).isEqualTo(200);
		assertThat(authorizationServer.calls(heidi)).isEqualTo(1);
	}

	@ParameterizedTest
	@EnumSource
	void getWhenManyConcurrentFirstRequestsOnOneInstanceThenOneCall(Stack stack) {
		RunningStack application = instanceA.on(stack);
		String token = token(stack, "slow-token");
		List<CompletableFuture<HttpResponse<String>>> responses = IntStream.range(0, 20)
			.mapToObj((i) -> application.getAsync("/notes", token))
			.toList();

		assertThat(responses).allSatisfy((response) -> assertThat(response.join().statusCode()).isEqualTo(200));
		assertThat(authorizationServer.calls(token)).isEqualTo(1);
	}

	@ParameterizedTest
	@EnumSource
	void getWhenInactiveTokenThen401FromBothInstances(Stack stack) {
		String token = token(stack, "inactive-token");
		assertThat(instanceA.on(stack).get("/notes", token).statusCode()).isEqualTo(401);
		assertThat(instanceB.on(stack).get("/notes", token).statusCode()).isEqualTo(401);
	}

	@ParameterizedTest
	@EnumSource
	void getWhenNamedServerTokenIntrospectedThroughOneInstanceThenOtherServesItUnderItsOwnKeys(Stack stack) {
		String token = token(stack, "shared-token-of-partners");
		Map<String, String> partners = Map.of("X-Tenant", "partners");
		assertThat(instanceA.on(stack).get("/notes", token, partners).statusCode()).isEqualTo(200);
		awaitSharedEntry(instanceA.on(stack), "token-introspection:partners:active:", token);

		HttpResponse<String> second = instanceB.on(stack).get("/notes", token, partners);

		assertThat(second.statusCode()).isEqualTo(200);
		assertThat(partnersServer.calls(token)).isEqualTo(1);
		assertThat(authorizationServer.calls(token)).isZero();
		assertThat(instanceA.on(stack)
			.bean(StringRedisTemplate.class)
			.hasKey("token-introspection:active:" + sha256Hex(token))).isFalse();
	}

	@ParameterizedTest
	@EnumSource
	void getWhenDPoPProofReplayedToTheOtherInstanceThen401(Stack stack) {
		String token = token(stack, "dpop-bound-replayed");
		RunningStack first = instanceA.on(stack);
		RunningStack second = instanceB.on(stack);
		// Behind one public name, as behind a load balancer: the proof is valid for both.
		String proof = dpopClient.proof("GET", "https://notes.example.com/notes", token);
		Map<String, String> dpop = new LinkedHashMap<>();
		dpop.put("Authorization", "DPoP " + token);
		dpop.put("DPoP", proof);
		dpop.put("X-Forwarded-Proto", "https");
		dpop.put("X-Forwarded-Host", "notes.example.com");
		dpop.put("X-Forwarded-Port", "443");
		assertThat(first.get("/notes", token, dpop).statusCode()).isEqualTo(200);

		HttpResponse<String> replayed = second.get("/notes", token, dpop);

		assertThat(replayed.statusCode()).isEqualTo(401);
		assertThat(replayed.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
				(challenge) -> assertThat(challenge).contains("invalid_dpop_proof").contains("used before"));
	}

	private static void awaitSharedEntry(RunningStack application, String token) {
		awaitSharedEntry(application, "token-introspection:active:", token);
	}

	private static void awaitSharedEntry(RunningStack application, String keyPrefix, String token) {
		StringRedisTemplate redis = application.bean(StringRedisTemplate.class);
		String key = keyPrefix + sha256Hex(token);
		await("entry in Redis").atMost(Duration.ofSeconds(5)).until(() -> redis.hasKey(key));
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

	/**
	 * A token of the stack's own: both stacks ask one server, which counts calls per
	 * token.
	 */
	private static String token(Stack stack, String token) {
		return token + "-" + stack.name().toLowerCase(Locale.ROOT);
	}

	private static MockResponse answer(String token) {
		if (token.startsWith("dpop-bound")) {
			return json(200, AuthorizationServerStub.ACTIVE.replace("}",
					",\"cnf\":{\"jkt\":\"" + dpopClient.thumbprint() + "\"}}"));
		}
		if (token.startsWith("of-")) {
			String subject = token.split("-")[1];
			return json(200, AuthorizationServerStub.ACTIVE.replace("\"alice\"", "\"" + subject + "\""));
		}
		if (token.startsWith("shared-token")) {
			return json(200, AuthorizationServerStub.ACTIVE);
		}
		if (token.startsWith("slow-token")) {
			// Long enough for every concurrent request to arrive while the call is open.
			return new MockResponse.Builder().addHeader("Content-Type", "application/json")
				.body(AuthorizationServerStub.ACTIVE)
				.headersDelay(500, TimeUnit.MILLISECONDS)
				.build();
		}
		return json(200, "{\"active\":false}");
	}

	private static Map<String, Object> properties() {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("token-introspection.cache.redis.enabled", "true");
		properties.put("spring.data.redis.port", redisServer.port());
		// A busy test machine may take longer than the default for the first calls
		// (connecting); a timed-out call would switch Redis off for a while.
		properties.put("token-introspection.cache.redis.timeout", "5s");
		properties.put("server.forward-headers-strategy", "framework");
		properties.put(OPAQUETOKEN + "introspection-uri", authorizationServer.url());
		properties.put(OPAQUETOKEN + "client-id", "notes-api");
		properties.put(OPAQUETOKEN + "client-secret", "s3cret");
		properties.put(PARTNERS + "introspection-uri", partnersServer.url());
		properties.put(PARTNERS + "client-id", "partners-api");
		properties.put(PARTNERS + "client-secret", "s3cret-b");
		properties.put(PARTNERS + "route.headers.X-Tenant", "partners");
		properties.put("token-introspection.security-events.enabled", "true");
		properties.put("token-introspection.security-events.issuer", transmitter.issuer());
		properties.put("token-introspection.security-events.audience", "notes-api-events");
		return properties;
	}

}
