package io.github.tokenintrospection.contract;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.tokenintrospection.testsupport.AuthorizationServerStub;
import io.github.tokenintrospection.testsupport.RestoreLoggerLevels;
import io.github.tokenintrospection.testsupport.SecretsInOutput;
import mockwebserver3.MockResponse;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.client.WebClient;

import static io.github.tokenintrospection.testsupport.AuthorizationServerStub.json;
import static io.github.tokenintrospection.testsupport.SecretsInOutput.newToken;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs every scenario of the starter, successes and failures, on each {@link Stack} with
 * the root logger at TRACE and the client secret in the request body
 * ({@code client_secret_post}) or in a Basic header, and checks that no token and no
 * secret appears anywhere in the output: not raw, not URL-encoded, not Base64-encoded.
 * <p>
 * One logger is outside the starter's reach: Tomcat's {@code Http11InputBuffer} dumps
 * every raw request, {@code Authorization} header included, at DEBUG. Those dumps are cut
 * out before checking (and shown to be the only place a token appears); the README tells
 * users to keep that logger above DEBUG.
 */
@ExtendWith({ OutputCaptureExtension.class, RestoreLoggerLevels.class })
class NoSecretsInLogsTests {

	private static final String OPAQUETOKEN = "spring.security.oauth2.resourceserver.opaquetoken.";

	private static final String CLIENT_SECRET = "Cl1entS3cretNeverLogged";

	private static final AuthorizationServerStub authorizationServer = new AuthorizationServerStub();

	private static final Pattern TOMCAT_REQUEST_DUMP = Pattern
		.compile("o\\.a\\.coyote\\.http11\\.Http11InputBuffer +: Received \\[.*?\\R\\]", Pattern.DOTALL);

	@AfterAll
	static void stopAuthorizationServer() {
		authorizationServer.close();
	}

	@ParameterizedTest
	@MethodSource("stacksAndClientAuthentications")
	void scenariosWhenRootLoggerAtTraceThenNoTokenOrSecretInOutput(Stack stack, String clientAuthenticationMethod,
			CapturedOutput output) {
		List<String> tokens;
		try (RunningStack application = stack.start(properties(clientAuthenticationMethod))) {
			tokens = runScenarios(application);
		}

		assertNoneLogged(stack, output, tokens);
	}

	/**
	 * Reactive only: an application's {@code WebClient.Builder} that logs request
	 * details, which the starter's copy must mask.
	 */
	@Test
	void scenariosWhenApplicationWebClientLogsRequestDetailsThenNoTokenOrSecretInOutput(CapturedOutput output) {
		List<String> tokens;
		try (RunningStack application = Stack.REACTIVE.start(properties("client_secret_basic"),
				DetailedLoggingWebClient.class)) {
			tokens = runScenarios(application);
		}

		assertNoneLogged(Stack.REACTIVE, output, tokens);
	}

	static Stream<Arguments> stacksAndClientAuthentications() {
		return Arrays.stream(Stack.values())
			.flatMap((stack) -> Stream.of("client_secret_post", "client_secret_basic")
				.map((method) -> Arguments.of(stack, method)));
	}

	private static Map<String, Object> properties(String clientAuthenticationMethod) {
		return Map.of("logging.level.root", "TRACE", OPAQUETOKEN + "introspection-uri", authorizationServer.url(),
				OPAQUETOKEN + "client-id", "notes-api", OPAQUETOKEN + "client-secret", CLIENT_SECRET,
				"token-introspection.client-authentication-method", clientAuthenticationMethod,
				// Above a cold first call at TRACE on a busy machine, below the delayed
				// answer's 3 s.
				"token-introspection.read-timeout", "1500ms", "token-introspection.resilience.stale-if-error.enabled",
				"true", "token-introspection.cache.enabled", "false",
				"token-introspection.resilience.circuit-breaker.minimum-number-of-calls", "3",
				"token-introspection.resilience.circuit-breaker.sliding-window-size", "3");
	}

	/**
	 * Every path a token can take: accepted, inactive, rejected by a claim check, too
	 * long, malformed, and each kind of server fault, stale-if-error and an open circuit
	 * breaker. Returns the tokens used.
	 */
	private static List<String> runScenarios(RunningStack application) {
		CircuitBreaker circuitBreaker = application.bean(CircuitBreaker.class);
		List<String> tokens = new ArrayList<>();
		authorizationServer.healthy();
		circuitBreaker.reset();
		String valid = newToken(tokens, "Valid");
		assertThat(application.get("/notes", valid).statusCode()).isEqualTo(200);
		assertThat(application.get("/notes", newToken(tokens, "inactive") + "Revoked").statusCode()).isEqualTo(401);
		assertThat(application.get("/notes", newToken(tokens, "TooLong") + "x".repeat(4096)).statusCode())
			.isEqualTo(401);
		assertThat(application.get("/notes", newToken(tokens, "Mal") + "%22formed").statusCode()).isEqualTo(401);
		authorizationServer.answer(json(200, "{\"active\":true,\"scope\":\"read\",\"token_type\":\"Refresh\"}"));
		assertThat(application.get("/notes", newToken(tokens, "Refresh")).statusCode()).isEqualTo(401);

		List<MockResponse> faults = List.of(json(500, "{\"error\":\"server_error\"}"), json(503, ""),
				new MockResponse.Builder().code(429).addHeader("Retry-After", "3").build(), json(200, "{\"active\":tr"),
				json(200, "{\"active\":true,\"exp\":\"soon\"}"),
				new MockResponse.Builder().onResponseStart(SocketEffect.ShutdownConnection.INSTANCE).build(),
				new MockResponse.Builder().addHeader("Content-Type", "application/json")
					.body(AuthorizationServerStub.ACTIVE)
					.headersDelay(3, TimeUnit.SECONDS)
					.build());
		for (MockResponse fault : faults) {
			circuitBreaker.reset();
			authorizationServer.answer(fault);
			HttpResponse<String> response = application.get("/notes", newToken(tokens, "Fault"));
			assertThat(response.statusCode()).isIn(401, 503);
			// The token validated first is answered stale.
			assertThat(application.get("/notes", valid).statusCode()).isEqualTo(200);
		}
		authorizationServer.refuseConnections();
		assertThat(application.get("/notes", newToken(tokens, "Refused")).statusCode()).isEqualTo(503);
		// The failures have opened the circuit breaker: fast failures and stale answers.
		for (int i = 0; i < 3; i++) {
			application.get("/notes", newToken(tokens, "Open"));
		}
		assertThat(circuitBreaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
		assertThat(application.get("/notes", valid).statusCode()).isEqualTo(200);
		authorizationServer.healthy();
		return tokens;
	}

	private static void assertNoneLogged(Stack stack, CapturedOutput output, List<String> tokens) {
		String all = output.getAll();
		// The output is real: the scenarios ran at TRACE and reached the introspection
		// client,
		// whose request (and its form body) is logged at DEBUG.
		assertThat(all).contains(" TRACE ").contains("Token introspection failed, answering 503");
		String logged = switch (stack) {
			case SERVLET -> {
				assertThat(all).contains("DefaultRestClient").contains("Writing [introspection form");
				assertThat(TOMCAT_REQUEST_DUMP.matcher(all).find()).as("Tomcat's raw request dump at DEBUG").isTrue();
				yield TOMCAT_REQUEST_DUMP.matcher(all).replaceAll("(Tomcat request dump)");
			}
			case REACTIVE -> {
				assertThat(all).contains("HTTP POST " + authorizationServer.url()).contains("form fields");
				yield all;
			}
		};
		SecretsInOutput.assertNoneLogged(logged, tokens, "notes-api", CLIENT_SECRET);
	}

	/**
	 * An application's {@code WebClient.Builder} that logs request details (headers and
	 * form values), as {@code spring.codec.log-request-details=true} makes Spring Boot's.
	 */
	@Configuration(proxyBeanMethods = false)
	static class DetailedLoggingWebClient {

		@Bean
		WebClient.Builder webClientBuilder() {
			return WebClient.builder().codecs((codecs) -> codecs.defaultCodecs().enableLoggingRequestDetails(true));
		}

	}

}
