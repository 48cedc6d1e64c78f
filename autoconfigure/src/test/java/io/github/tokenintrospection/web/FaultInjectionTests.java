package io.github.tokenintrospection.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.tokenintrospection.contract.NotesApplications;
import io.github.tokenintrospection.testsupport.AuthorizationServerStub;
import mockwebserver3.MockResponse;
import mockwebserver3.SocketEffect;
import okio.Buffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static io.github.tokenintrospection.testsupport.AuthorizationServerStub.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fault injection: a real resource server (embedded Tomcat, Spring Boot's default
 * security filter chain) in front of a loopback introspection endpoint that refuses
 * connections, stalls, drops or truncates connections, and answers every error status and
 * malformed body. For each fault: the status, headers and body the client gets, the log
 * level, that nothing was cached, and that the first request after the server recovers
 * succeeds.
 */
@ExtendWith(OutputCaptureExtension.class)
class FaultInjectionTests {

	private static final String OPAQUETOKEN = "spring.security.oauth2.resourceserver.opaquetoken.";

	private static final AuthorizationServerStub authorizationServer = new AuthorizationServerStub();

	private static final HttpClient httpClient = HttpClient.newHttpClient();

	private static final AtomicInteger tokens = new AtomicInteger();

	@AfterAll
	static void stopAuthorizationServer() {
		authorizationServer.close();
	}

	static void registerIntrospection(DynamicPropertyRegistry registry) {
		registry.add(OPAQUETOKEN + "introspection-uri", authorizationServer::url);
		registry.add(OPAQUETOKEN + "client-id", () -> "notes-api");
		registry.add(OPAQUETOKEN + "client-secret", () -> "s3cret");
		// Short, so that the timeout scenario is quick; the stub stalls far longer.
		registry.add("token-introspection.read-timeout", () -> "1500ms");
	}

	/** A token no earlier test has used, so that no cache entry can answer for it. */
	static String newToken() {
		return "tok-" + tokens.incrementAndGet();
	}

	@Nested
	// The log checks hold at the default level, whatever an earlier test class in this
	// JVM left.
	@SpringBootTest(classes = NotesApplications.Servlet.class, webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = "logging.level.root=INFO")
	class Defaults {

		@LocalServerPort
		int port;

		@Autowired
		CircuitBreaker circuitBreaker;

		@DynamicPropertySource
		static void introspection(DynamicPropertyRegistry registry) {
			registerIntrospection(registry);
		}

		@BeforeEach
		void healthyAndClosed() {
			authorizationServer.healthy();
			// Every scenario starts from a closed circuit breaker: they are independent
			// faults.
			this.circuitBreaker.reset();
		}

		static Stream<Arguments> faults() {
			String active = AuthorizationServerStub.ACTIVE;
			return Stream.of(
					// Connection failures are retried (3 attempts); a stall is not.
					Arguments.of("connection reset before the answer", 3, "5",
							new MockResponse.Builder().onResponseStart(SocketEffect.ShutdownConnection.INSTANCE)
								.build()),
					Arguments.of("body truncated", 3, "5",
							new MockResponse.Builder().addHeader("Content-Type", "application/json")
								.body(new Buffer().writeUtf8(active))
								.onResponseBody(SocketEffect.ShutdownConnection.INSTANCE)
								.build()),
					Arguments.of("no answer within the read timeout", 1, "5",
							new MockResponse.Builder().addHeader("Content-Type", "application/json")
								.body(active)
								.headersDelay(3, TimeUnit.SECONDS)
								.build()),
					// 502, 503 and 504 are retried; other statuses are not.
					Arguments.of("HTTP 502", 3, "5", json(502, "")), Arguments.of("HTTP 503", 3, "5", json(503, "")),
					Arguments.of("HTTP 504", 3, "5", json(504, "")),
					Arguments.of("HTTP 503 with Retry-After", 3, "9",
							new MockResponse.Builder().code(503).addHeader("Retry-After", "9").build()),
					Arguments.of("HTTP 500", 1, "5", json(500, "{\"error\":\"server_error\"}")),
					Arguments.of("HTTP 501", 1, "5", json(501, "")),
					Arguments.of("HTTP 429 with Retry-After", 1, "17",
							new MockResponse.Builder().code(429).addHeader("Retry-After", "17").build()),
					Arguments.of("HTTP 429 without Retry-After", 1, "5", json(429, "")),
					Arguments.of("HTTP 400", 1, "5", json(400, "{\"error\":\"invalid_request\"}")),
					Arguments.of("HTTP 401", 1, "5", json(401, "{\"error\":\"invalid_client\"}")),
					Arguments.of("HTTP 403", 1, "5", json(403, "")), Arguments.of("HTTP 404", 1, "5", json(404, "")),
					// Malformed answers: server faults, never a verdict on the token.
					Arguments.of("body not JSON", 1, "5", json(200, "active=true")),
					Arguments.of("HTML body", 1, "5", json(200, "<html>maintenance</html>")),
					Arguments.of("empty body", 1, "5", json(200, "")),
					Arguments.of("JSON array", 1, "5", json(200, "[" + active + "]")),
					Arguments.of("JSON cut short", 1, "5", json(200, "{\"active\":tr")),
					Arguments.of("duplicate key", 1, "5",
							json(200, "{\"active\":false,\"sub\":\"a\",\"active\":true}")),
					Arguments.of("exp not a number", 1, "5", json(200, "{\"active\":true,\"exp\":\"4102444800\"}")),
					// Numbers beyond a long would wrap into a valid exp; beyond an
					// Instant, throw.
					Arguments.of("exp beyond a long (2^64 + now + 300)", 1, "5",
							json(200, "{\"active\":true,\"exp\":" + beyondLong() + "}")),
					Arguments.of("exp beyond an Instant (1e17)", 1, "5", json(200, "{\"active\":true,\"exp\":1e17}")),
					Arguments.of("iat before any Instant (-1e17)", 1, "5",
							json(200, "{\"active\":true,\"iat\":-100000000000000000}")),
					Arguments.of("nbf overflowing a double (1e400)", 1, "5",
							json(200, "{\"active\":true,\"nbf\":1e400}")),
					Arguments.of("scope holding a number", 1, "5",
							json(200, "{\"active\":true,\"scope\":[\"read\",7]}")),
					Arguments.of("iss not a string", 1, "5", json(200, "{\"active\":true,\"iss\":{\"a\":1}}")),
					Arguments.of("content type text/html", 1, "5",
							new MockResponse.Builder().addHeader("Content-Type", "text/html").body(active).build()),
					Arguments.of("body over 64 KiB", 1, "5",
							json(200, "{\"active\":true,\"padding\":\"" + "x".repeat(64 * 1024) + "\"}")));
		}

		/** 2^64 + now + 300: narrowed to a long, a valid exp five minutes ahead. */
		static String beyondLong() {
			return BigInteger.TWO.pow(64).add(BigInteger.valueOf(System.currentTimeMillis() / 1000 + 300)).toString();
		}

		@ParameterizedTest(name = "{0}")
		@MethodSource("faults")
		void getWhenAuthorizationServerFaultsThen503NotCachedAndRecoversOnFirstRequest(String fault, int attempts,
				String retryAfter, MockResponse response, CapturedOutput output) {
			String token = newToken();
			authorizationServer.answer(response);

			HttpResponse<String> failed = get(this.port, token);

			assertServiceUnavailable(failed, retryAfter);
			assertThat(authorizationServer.calls(token)).as("introspection attempts").isEqualTo(attempts);
			assertThat(output).containsPattern(" WARN .*Token introspection failed, answering 503")
				.doesNotContain(token);
			assertRecoversOnFirstRequest(token, attempts);
		}

		@Test
		void getWhenConnectionRefusedThen503NotCachedAndRecoversOnFirstRequest(CapturedOutput output) {
			String token = newToken();
			authorizationServer.refuseConnections();

			assertServiceUnavailable(get(this.port, token), "5");
			assertThat(authorizationServer.calls(token)).isZero();
			assertThat(output).containsPattern(" WARN .*Token introspection failed, answering 503");

			authorizationServer.healthy();
			assertRecoversOnFirstRequest(token, 0);
		}

		static Stream<Arguments> answersThatFailClosed() {
			return Stream.of(Arguments.of("active as the string \"true\"", "{\"active\":\"true\",\"sub\":\"alice\"}"),
					Arguments.of("active as the number 1", "{\"active\":1,\"sub\":\"alice\"}"),
					Arguments.of("active missing", "{\"sub\":\"alice\",\"scope\":\"read\"}"),
					Arguments.of("active true but exp an hour ago",
							"{\"active\":true,\"sub\":\"alice\",\"scope\":\"read\",\"exp\":"
									+ (System.currentTimeMillis() / 1000 - 3600) + "}"));
		}

		@ParameterizedTest(name = "{0}")
		@MethodSource("answersThatFailClosed")
		void getWhenAnswerIsNotAClearActiveThen401InvalidToken(String answer, String body) {
			String token = newToken();
			authorizationServer.answer(json(200, body));

			HttpResponse<String> response = get(this.port, token);

			assertThat(response.statusCode()).isEqualTo(401);
			assertThat(response.headers().firstValue("WWW-Authenticate"))
				.hasValueSatisfying((value) -> assertThat(value).startsWith("Bearer error=\"invalid_token\""));
			assertThat(authorizationServer.calls(token)).isEqualTo(1);
		}

		@Test
		void getWhenTokenLongerThanLimitThen401WithoutCallingServer() {
			String token = "x".repeat(4097);

			HttpResponse<String> response = get(this.port, token);

			assertThat(response.statusCode()).isEqualTo(401);
			assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
					(value) -> assertThat(value).contains("invalid_token").contains("longer than 4096 characters"));
			assertThat(authorizationServer.calls(token)).isZero();
		}

		@Test
		void getWhenTokenAtLengthLimitThenServerAsked() {
			String token = "y".repeat(4096);

			assertThat(get(this.port, token).statusCode()).isEqualTo(200);
			assertThat(authorizationServer.calls(token)).isEqualTo(1);
		}

		@Test
		void getWhenTokenOutsideB64TokenSyntaxThen401WithoutCallingServer() {
			int callsBefore = authorizationServer.totalCalls();

			HttpResponse<String> response = get(this.port, "abc%22def");

			assertThat(response.statusCode()).isEqualTo(401);
			assertThat(response.headers().firstValue("WWW-Authenticate"))
				.hasValueSatisfying((value) -> assertThat(value).contains("invalid_token"));
			assertThat(authorizationServer.totalCalls()).isEqualTo(callsBefore);
		}

		private void assertRecoversOnFirstRequest(String token, int callsDuringFault) {
			authorizationServer.healthy();

			HttpResponse<String> recovered = get(this.port, token);

			assertThat(recovered.statusCode()).isEqualTo(200);
			assertThat(recovered.body()).isEqualTo("notes of alice");
			// The failure was not cached: the server was asked again, once.
			assertThat(authorizationServer.calls(token)).isEqualTo(callsDuringFault + 1);
		}

	}

	@Nested
	@SpringBootTest(classes = NotesApplications.Servlet.class, webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = { "logging.level.root=INFO",
					"token-introspection.resilience.circuit-breaker.sliding-window-size=2",
					"token-introspection.resilience.circuit-breaker.minimum-number-of-calls=2",
					"token-introspection.resilience.circuit-breaker.wait-duration-in-open-state=1s",
					"token-introspection.resilience.circuit-breaker.permitted-number-of-calls-in-half-open-state=1" })
	class CircuitBreakerOpen {

		@LocalServerPort
		int port;

		@Autowired
		CircuitBreaker circuitBreaker;

		@DynamicPropertySource
		static void introspection(DynamicPropertyRegistry registry) {
			registerIntrospection(registry);
		}

		@BeforeEach
		void healthyAndClosed() {
			authorizationServer.healthy();
			this.circuitBreaker.reset();
		}

		@Test
		void getWhenServerKeepsFailingThenFailsFastWithoutCallingItAndProbesAfterCoolDown(CapturedOutput output)
				throws InterruptedException {
			authorizationServer.answer(json(500, ""));
			String first = newToken();
			String second = newToken();
			assertServiceUnavailable(get(this.port, first), "5");
			assertServiceUnavailable(get(this.port, second), "5");
			assertThat(this.circuitBreaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
			assertThat(output).containsPattern(" WARN .*Authorization server failing");
			int outputBefore = output.length();

			String third = newToken();
			HttpResponse<String> fastFailure = get(this.port, third);

			assertServiceUnavailable(fastFailure, "1");
			assertThat(authorizationServer.calls(third)).isZero();
			assertThat(output.toString().substring(outputBefore)).doesNotContain(" WARN ");

			authorizationServer.healthy();
			// Past the 1 s cool-down, the first request is the probe, and it succeeds.
			Thread.sleep(1_100);
			assertThat(get(this.port, third).statusCode()).isEqualTo(200);
			assertThat(authorizationServer.calls(third)).isEqualTo(1);
			assertThat(this.circuitBreaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
		}

	}

	static void assertServiceUnavailable(HttpResponse<String> response, String retryAfter) {
		assertThat(response.statusCode()).isEqualTo(503);
		assertThat(response.headers().firstValue("Retry-After")).hasValue(retryAfter);
		assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
		assertThat(response.headers().firstValue("WWW-Authenticate")).isEmpty();
		assertThat(response.body()).isEqualTo(AuthorizationServerUnavailableFilter.BODY);
	}

	static HttpResponse<String> get(int port, String token) {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/notes"))
			.header("Authorization", "Bearer " + token)
			.GET()
			.build();
		try {
			return httpClient.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
