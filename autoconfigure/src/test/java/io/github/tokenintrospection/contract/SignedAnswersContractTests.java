package io.github.tokenintrospection.contract;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import io.github.tokenintrospection.cache.IntrospectionCacheControl;
import io.github.tokenintrospection.internal.cache.TokenHash;
import io.github.tokenintrospection.internal.jose.SignedAnswers;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static io.github.tokenintrospection.internal.jose.SignedAnswers.ACTIVE;
import static io.github.tokenintrospection.internal.jose.SignedAnswers.AUDIENCE;
import static io.github.tokenintrospection.internal.jose.SignedAnswers.ISSUER;
import static io.github.tokenintrospection.internal.jose.SignedAnswers.claims;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Signed introspection answers (RFC 9701) with {@code mode: require}, the same on both
 * stacks: a valid signed answer lets the request in and is recorded as
 * {@code format=jwt}; every hostile one is a server fault (503), never cached; a plain
 * JSON answer is a server fault too.
 */
@ExtendWith(OutputCaptureExtension.class)
class SignedAnswersContractTests {

	private static final String OPAQUETOKEN = "spring.security.oauth2.resourceserver.opaquetoken.";

	private static final SignedAnswers keys = new SignedAnswers("k1");

	private static final SignedAuthorizationServer authorizationServer = new SignedAuthorizationServer();

	private static final RunningStacks applications = new RunningStacks(
			Map.of("token-introspection.resilience.circuit-breaker.enabled", "false", OPAQUETOKEN + "introspection-uri",
					authorizationServer.url("/introspect"), OPAQUETOKEN + "client-id", AUDIENCE,
					OPAQUETOKEN + "client-secret", "s3cret", "token-introspection.signed-answers.mode", "require",
					"token-introspection.signed-answers.jwks-uri", authorizationServer.url("/jwks"),
					"token-introspection.signed-answers.issuer", ISSUER,
					"token-introspection.signed-answers.keep-evidence", "true"));

	@AfterAll
	static void stop() {
		applications.close();
		authorizationServer.close();
	}

	@ParameterizedTest
	@EnumSource
	void getWhenValidSignedAnswerThen200AndAuditSaysJwt(Stack stack, CapturedOutput output) {
		String token = token(stack, "valid");
		String signedAnswer = keys.sign(ACTIVE, Instant.now());
		authorizationServer.answer(token, (t) -> SignedAnswers.answer(signedAnswer));

		HttpResponse<String> response = applications.on(stack).get("/notes", token);

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("notes of alice");
		assertThat(authorizationServer.accepts()).contains("application/token-introspection+jwt");
		await().untilAsserted(() -> assertThat(output.getAll())
			.contains("fingerprint=" + IntrospectionCacheControl.fingerprint(token) + " active=true")
			.containsPattern("decision=accepted reason=none cache=miss path=introspection fingerprint="
					+ IntrospectionCacheControl.fingerprint(token) + " .* format=jwt proof=none answer_sha256="
					+ TokenHash.sha256Hex(signedAnswer) + " "));
	}

	@ParameterizedTest
	@MethodSource("stacksAndHostileAnswers")
	void getWhenHostileSignedAnswerThen503AndNotCached(Stack stack, String name, Function<Instant, String> answer) {
		String token = token(stack, name);
		authorizationServer.answer(token, (t) -> SignedAnswers.answer(answer.apply(Instant.now())));
		RunningStack application = applications.on(stack);

		assertThat(application.get("/notes", token).statusCode()).isEqualTo(503);
		assertThat(application.get("/notes", token).statusCode()).isEqualTo(503);
		assertThat(authorizationServer.calls(token)).isEqualTo(2);
	}

	@ParameterizedTest
	@EnumSource
	void getWhenValidSignatureOverActiveAsStringThen401(Stack stack) {
		String token = token(stack, "string-active");
		authorizationServer.answer(token,
				(t) -> SignedAnswers.answer(keys.sign("{\"active\":\"true\",\"sub\":\"alice\"}", Instant.now())));

		assertThat(applications.on(stack).get("/notes", token).statusCode()).isEqualTo(401);
	}

	@ParameterizedTest
	@EnumSource
	void getWhenPlainJsonAnswerWhileRequiredThen503AndNotCached(Stack stack) {
		String token = token(stack, "plain");
		authorizationServer.answer(token,
				(t) -> new MockResponse.Builder().addHeader("Content-Type", "application/json").body(ACTIVE).build());
		RunningStack application = applications.on(stack);

		assertThat(application.get("/notes", token).statusCode()).isEqualTo(503);
		assertThat(application.get("/notes", token).statusCode()).isEqualTo(503);
		assertThat(authorizationServer.calls(token)).isEqualTo(2);
	}

	static Stream<Arguments> stacksAndHostileAnswers() {
		Map<String, Function<Instant, String>> answers = new java.util.LinkedHashMap<>();
		answers.put("wrong-key", (now) -> keys.sign(new SignedAnswers("k1").key(), JWSAlgorithm.RS256,
				new JOSEObjectType("token-introspection+jwt"), claims(ISSUER, AUDIENCE, now, ACTIVE)));
		answers.put("alg-none", (now) -> SignedAnswers.unsigned(claims(ISSUER, AUDIENCE, now, ACTIVE)));
		answers.put("hs256-public-key", (now) -> keys.signWithHmacOverPublicKey(claims(ISSUER, AUDIENCE, now, ACTIVE)));
		answers.put("wrong-iss", (now) -> keys.sign(keys.key(), JWSAlgorithm.RS256,
				new JOSEObjectType("token-introspection+jwt"), claims("https://evil.example", AUDIENCE, now, ACTIVE)));
		answers.put("wrong-aud", (now) -> keys.sign(keys.key(), JWSAlgorithm.RS256,
				new JOSEObjectType("token-introspection+jwt"), claims(ISSUER, "other-api", now, ACTIVE)));
		answers.put("stale-iat", (now) -> keys.sign(ACTIVE, now.minusSeconds(3600)));
		answers.put("wrong-typ", (now) -> keys.sign(keys.key(), JWSAlgorithm.RS256, JOSEObjectType.JWT,
				claims(ISSUER, AUDIENCE, now, ACTIVE)));
		answers.put("unknown-kid", (now) -> keys.sign(new SignedAnswers("k9").key(), JWSAlgorithm.RS256,
				new JOSEObjectType("token-introspection+jwt"), claims(ISSUER, AUDIENCE, now, ACTIVE)));
		return Stream.of(Stack.values())
			.flatMap((stack) -> answers.entrySet()
				.stream()
				.map((entry) -> Arguments.of(stack, entry.getKey(), entry.getValue())));
	}

	private static String token(Stack stack, String name) {
		return "signed-" + name + "-" + stack.name().toLowerCase(Locale.ROOT);
	}

	/**
	 * An authorization server on loopback that publishes {@link #keys} and answers each
	 * token as told, counting the introspection calls per token.
	 */
	static final class SignedAuthorizationServer implements AutoCloseable {

		private final MockWebServer server = new MockWebServer();

		private final Map<String, Function<String, MockResponse>> answers = new ConcurrentHashMap<>();

		private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

		private final List<String> accepts = new CopyOnWriteArrayList<>();

		SignedAuthorizationServer() {
			this.server.setDispatcher(new Dispatcher() {
				@Override
				public MockResponse dispatch(RecordedRequest request) {
					if (request.getTarget().startsWith("/jwks")) {
						return keys.jwksResponse();
					}
					String token = token(request);
					SignedAuthorizationServer.this.calls.computeIfAbsent(token, (key) -> new AtomicInteger())
						.incrementAndGet();
					SignedAuthorizationServer.this.accepts.add(String.valueOf(request.getHeaders().get("Accept")));
					return SignedAuthorizationServer.this.answers
						.getOrDefault(token, (t) -> new MockResponse.Builder().code(500).build())
						.apply(token);
				}
			});
			try {
				this.server.start();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

		String url(String path) {
			return this.server.url(path).toString();
		}

		void answer(String token, Function<String, MockResponse> answer) {
			this.answers.put(token, answer);
		}

		int calls(String token) {
			AtomicInteger count = this.calls.get(token);
			return (count != null) ? count.get() : 0;
		}

		List<String> accepts() {
			return this.accepts;
		}

		private static String token(RecordedRequest request) {
			String body = (request.getBody() != null) ? request.getBody().utf8() : "";
			for (String pair : body.split("&")) {
				if (pair.startsWith("token=")) {
					return URLDecoder.decode(pair.substring("token=".length()), StandardCharsets.UTF_8);
				}
			}
			return "";
		}

		@Override
		public void close() {
			this.server.close();
		}

	}

}
