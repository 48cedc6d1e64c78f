package io.github.tokenintrospection.web;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.tokenintrospection.contract.NotesApplications;
import io.github.tokenintrospection.testsupport.AuthorizationServerStub;
import io.github.tokenintrospection.testsupport.SecretsInOutput;
import mockwebserver3.MockResponse;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static io.github.tokenintrospection.testsupport.AuthorizationServerStub.json;
import static io.github.tokenintrospection.testsupport.SecretsInOutput.newToken;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs every scenario of the starter, successes and failures, with the root logger at TRACE
 * and the client secret in the request body ({@code client_secret_post}) or in a Basic
 * header, and checks that no token and no secret appears anywhere in the output: not raw,
 * not URL-encoded, not Base64-encoded.
 * <p>
 * One logger is outside the starter's reach: Tomcat's {@code Http11InputBuffer} dumps every
 * raw request, {@code Authorization} header included, at DEBUG. Those dumps are cut out
 * before checking (and shown to be the only place a token appears); the README tells users
 * to keep that logger above DEBUG.
 */
@ExtendWith(OutputCaptureExtension.class)
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

	static void register(DynamicPropertyRegistry registry, String clientAuthenticationMethod) {
		registry.add(OPAQUETOKEN + "introspection-uri", authorizationServer::url);
		registry.add(OPAQUETOKEN + "client-id", () -> "notes-api");
		registry.add(OPAQUETOKEN + "client-secret", () -> CLIENT_SECRET);
		registry.add("token-introspection.client-authentication-method", () -> clientAuthenticationMethod);
		registry.add("token-introspection.read-timeout", () -> "500ms");
		registry.add("token-introspection.resilience.stale-if-error.enabled", () -> "true");
		registry.add("token-introspection.cache.enabled", () -> "false");
		registry.add("token-introspection.resilience.circuit-breaker.minimum-number-of-calls", () -> "3");
		registry.add("token-introspection.resilience.circuit-breaker.sliding-window-size", () -> "3");
	}

	/** The scenarios and their check; each subclass is one client authentication. */
	abstract class Scenarios {

		@LocalServerPort
		int port;

		@Autowired
		CircuitBreaker circuitBreaker;

		@Test
		void scenariosWhenRootLoggerAtTraceThenNoTokenOrSecretInOutput(CapturedOutput output) {
			List<String> tokens = runScenarios(this.port, this.circuitBreaker);

			assertNoneLogged(output, tokens);
		}

	}

	@Nested
	@SpringBootTest(classes = NotesApplications.Servlet.class, webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = "logging.level.root=TRACE")
	class ClientSecretPost extends Scenarios {

		@DynamicPropertySource
		static void properties(DynamicPropertyRegistry registry) {
			register(registry, "client_secret_post");
		}

	}

	@Nested
	@SpringBootTest(classes = NotesApplications.Servlet.class, webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = "logging.level.root=TRACE")
	class ClientSecretBasic extends Scenarios {

		@DynamicPropertySource
		static void properties(DynamicPropertyRegistry registry) {
			register(registry, "client_secret_basic");
		}

	}

	/**
	 * Every path a token can take: accepted, inactive, rejected by a claim check, too long,
	 * malformed, and each kind of server fault, stale-if-error and an open circuit breaker.
	 * Returns the tokens used.
	 */
	static List<String> runScenarios(int port, CircuitBreaker circuitBreaker) {
		List<String> tokens = new ArrayList<>();
		authorizationServer.healthy();
		circuitBreaker.reset();
		String valid = newToken(tokens, "Valid");
		assertThat(FaultInjectionTests.get(port, valid).statusCode()).isEqualTo(200);
		assertThat(FaultInjectionTests.get(port, newToken(tokens, "inactive") + "Revoked").statusCode()).isEqualTo(401);
		assertThat(FaultInjectionTests.get(port, newToken(tokens, "TooLong") + "x".repeat(4096)).statusCode())
			.isEqualTo(401);
		assertThat(FaultInjectionTests.get(port, newToken(tokens, "Mal") + "%22formed").statusCode()).isEqualTo(401);
		authorizationServer.answer(json(200, "{\"active\":true,\"scope\":\"read\",\"token_type\":\"Refresh\"}"));
		assertThat(FaultInjectionTests.get(port, newToken(tokens, "Refresh")).statusCode()).isEqualTo(401);

		List<MockResponse> faults = List.of(json(500, "{\"error\":\"server_error\"}"), json(503, ""),
				new MockResponse.Builder().code(429).addHeader("Retry-After", "3").build(),
				json(200, "{\"active\":tr"), json(200, "{\"active\":true,\"exp\":\"soon\"}"),
				new MockResponse.Builder().onResponseStart(SocketEffect.ShutdownConnection.INSTANCE).build(),
				new MockResponse.Builder().addHeader("Content-Type", "application/json")
					.body(AuthorizationServerStub.ACTIVE)
					.headersDelay(2, TimeUnit.SECONDS)
					.build());
		for (MockResponse fault : faults) {
			circuitBreaker.reset();
			authorizationServer.answer(fault);
			HttpResponse<String> response = FaultInjectionTests.get(port, newToken(tokens, "Fault"));
			assertThat(response.statusCode()).isIn(401, 503);
			// The token validated first is answered stale.
			assertThat(FaultInjectionTests.get(port, valid).statusCode()).isEqualTo(200);
		}
		authorizationServer.refuseConnections();
		assertThat(FaultInjectionTests.get(port, newToken(tokens, "Refused")).statusCode()).isEqualTo(503);
		// The failures have opened the circuit breaker: fast failures and stale answers.
		for (int i = 0; i < 3; i++) {
			FaultInjectionTests.get(port, newToken(tokens, "Open"));
		}
		assertThat(circuitBreaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
		assertThat(FaultInjectionTests.get(port, valid).statusCode()).isEqualTo(200);
		authorizationServer.healthy();
		return tokens;
	}

	static void assertNoneLogged(CapturedOutput output, List<String> tokens) {
		String all = output.getAll();
		// The output is real: the scenarios ran at TRACE and reached the introspection client,
		// whose request body is logged at DEBUG.
		assertThat(all).contains(" TRACE ")
			.contains("Token introspection failed, answering 503")
			.contains("DefaultRestClient")
			.contains("Writing [introspection form");
		assertThat(TOMCAT_REQUEST_DUMP.matcher(all).find()).as("Tomcat's raw request dump at DEBUG").isTrue();
		String logged = TOMCAT_REQUEST_DUMP.matcher(all).replaceAll("(Tomcat request dump)");
		SecretsInOutput.assertNoneLogged(logged, tokens, "notes-api", CLIENT_SECRET);
	}

}
