package io.github.tokenintrospection.contract;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import io.github.tokenintrospection.testsupport.AuthorizationServerStub;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static io.github.tokenintrospection.testsupport.AuthorizationServerStub.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTTP contract of a resource server using the starter, on a real embedded server,
 * the same for the servlet and the reactive stack: 401 for bad tokens, 403 for missing
 * authorities, 503 (never 500) when the authorization server cannot answer, one
 * introspection call per token under concurrency. Each test runs once per {@link Stack}.
 */
@ExtendWith(OutputCaptureExtension.class)
class ErrorContractTests {

	private static final String OPAQUETOKEN = "spring.security.oauth2.resourceserver.opaquetoken.";

	private static final String ACTIVE = "{\"active\":true,\"sub\":\"alice\",\"exp\":4102444800,"
			+ "\"token_type\":\"%s\",\"scope\":\"%s\"}";

	private static final AuthorizationServerStub authorizationServer = startAuthorizationServer();

	private static final int closedPort = unusedPort();

	private static final RunningStacks applications = new RunningStacks(Map.of(
			// These tests fail the server on purpose; an open breaker would hide the
			// cases.
			"token-introspection.resilience.circuit-breaker.enabled", "false", OPAQUETOKEN + "introspection-uri",
			authorizationServer.url(), OPAQUETOKEN + "client-id", "notes-api", OPAQUETOKEN + "client-secret",
			"s3cret"));

	private static final RunningStacks authorizationServerDown = new RunningStacks(
			Map.of(OPAQUETOKEN + "introspection-uri", "http://127.0.0.1:" + closedPort + "/introspect",
					OPAQUETOKEN + "client-id", "notes-api", OPAQUETOKEN + "client-secret", "s3cret"));

	@AfterAll
	static void stop() {
		applications.close();
		authorizationServerDown.close();
		authorizationServer.close();
	}

	@ParameterizedTest
	@EnumSource
	void getWhenActiveTokenWithScopeThen200(Stack stack) {
		HttpResponse<String> response = applications.on(stack).get("/notes", "read-token");

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("notes of alice");
	}

	@ParameterizedTest
	@EnumSource
	void getWhenActiveTokenWithoutScopeThen403(Stack stack) {
		HttpResponse<String> response = applications.on(stack).get("/notes", "write-token");

		assertThat(response.statusCode()).isEqualTo(403);
		assertThat(response.headers().firstValue("WWW-Authenticate"))
			.hasValueSatisfying((value) -> assertThat(value).contains("insufficient_scope"));
	}

	@ParameterizedTest
	@EnumSource
	void getWhenInactiveTokenThen401InvalidToken(Stack stack) {
		HttpResponse<String> response = applications.on(stack).get("/notes", "inactive-token");

		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.headers().firstValue("WWW-Authenticate"))
			.hasValueSatisfying((value) -> assertThat(value).contains("Bearer error=\"invalid_token\""));
	}

	@ParameterizedTest
	@EnumSource
	void getWhenTokenFailsValidationThen401InvalidToken(Stack stack) {
		HttpResponse<String> response = applications.on(stack).get("/notes", "refresh-token");

		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.headers().firstValue("WWW-Authenticate"))
			.hasValueSatisfying((value) -> assertThat(value).contains("Bearer error=\"invalid_token\"")
				.contains("not an access token"));
	}

	@ParameterizedTest
	@EnumSource
	void getWhenTokenTooLongThen401WithoutCallingTheServer(Stack stack) {
		String longToken = stack.name().toLowerCase(Locale.ROOT) + "a".repeat(5000);

		HttpResponse<String> response = applications.on(stack).get("/notes", longToken);

		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(authorizationServer.calls(longToken)).isZero();
	}

	@ParameterizedTest
	@EnumSource
	void getWhenAuthorizationServerAnswers500Then503WithJsonAndRetryAfter(Stack stack) {
		RunningStack application = applications.on(stack);
		String token = perStack(stack, "server-error-token");

		assertServiceUnavailable(application.get("/notes", token));
		// A failure is not cached: the next request asks again.
		int calls = authorizationServer.calls(token);
		assertServiceUnavailable(application.get("/notes", token));
		assertThat(authorizationServer.calls(token)).isEqualTo(calls + 1);
	}

	@ParameterizedTest
	@EnumSource
	void getWhenAuthorizationServerAnswersGarbageThen503WithJson(Stack stack) {
		assertServiceUnavailable(applications.on(stack).get("/notes", "garbage-token"));
	}

	@ParameterizedTest
	@MethodSource("timeClaimsOutOfRange")
	void getWhenTimeClaimOutOfRangeThen503NotCached(Stack stack, String claim, CapturedOutput output) {
		RunningStack application = applications.on(stack);
		String token = perStack(stack, claim);

		assertServiceUnavailable(application.get("/notes", token));
		assertServiceUnavailable(application.get("/notes", token));

		assertThat(authorizationServer.calls(token)).isEqualTo(2);
		assertThat(output).contains("Malformed introspection response: claim '")
			.doesNotContain("DateTimeException")
			.doesNotContain(token);
	}

	@ParameterizedTest
	@EnumSource
	void getWhen503FromAuthorizationServerThenRetriedAndItsRetryAfterPassedOn(Stack stack) {
		String token = perStack(stack, "unavailable-token");

		HttpResponse<String> response = applications.on(stack).get("/notes", token);

		assertServiceUnavailable(response);
		assertThat(response.headers().firstValue("Retry-After")).hasValue("7");
		// Two retries.
		assertThat(authorizationServer.calls(token)).isEqualTo(3);
	}

	@ParameterizedTest
	@EnumSource
	void getWhenManyConcurrentRequestsForOneTokenThenOneIntrospectionCall(Stack stack) {
		RunningStack application = applications.on(stack);
		String token = perStack(stack, "slow-read-token");

		List<CompletableFuture<HttpResponse<String>>> responses = IntStream.range(0, 40)
			.mapToObj((i) -> application.getAsync("/notes", token))
			.toList();

		assertThat(responses).allSatisfy((response) -> assertThat(response.join().statusCode()).isEqualTo(200));
		assertThat(authorizationServer.calls(token)).isEqualTo(1);
	}

	@ParameterizedTest
	@EnumSource
	void getWhenInactiveTokenRepeatedThenNegativeCacheAnswers(Stack stack) {
		RunningStack application = applications.on(stack);
		String token = perStack(stack, "other-inactive-token");

		assertThat(application.get("/notes", token).statusCode()).isEqualTo(401);
		assertThat(application.get("/notes", token).statusCode()).isEqualTo(401);

		assertThat(authorizationServer.calls(token)).isEqualTo(1);
	}

	@ParameterizedTest
	@EnumSource
	void getWhenConnectionRefusedThen503WithJsonAndDefaultRetryAfter(Stack stack, CapturedOutput output) {
		HttpResponse<String> response = authorizationServerDown.on(stack).get("/notes", "read-token");

		assertServiceUnavailable(response);
		assertThat(output)
			.containsPattern(
					" WARN .*Token introspection failed, answering 503: Introspection " + "request to http://127.0.0.1:"
							+ closedPort + "/introspect failed after \\d+ ms: could not connect")
			.doesNotContain(": null");
		assertThat(response.headers().firstValue("Retry-After")).hasValue("5");
		assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
	}

	static Stream<Arguments> timeClaimsOutOfRange() {
		return Arrays.stream(Stack.values())
			.flatMap((stack) -> Stream.of("exp-beyond-long", "exp-beyond-instant", "iat-before-instant")
				.map((claim) -> Arguments.of(stack, claim)));
	}

	private static void assertServiceUnavailable(HttpResponse<String> response) {
		assertThat(response.statusCode()).isEqualTo(503);
		assertThat(response.headers().firstValue("Retry-After")).isPresent();
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
		assertThat(response.body()).contains("\"error\":\"temporarily_unavailable\"");
	}

	/**
	 * A token of its own for each stack, for the tests that count calls or rely on
	 * nothing being cached: both stacks ask the same authorization server.
	 */
	private static String perStack(Stack stack, String token) {
		return stack.name().toLowerCase(Locale.ROOT) + "-" + token;
	}

	private static AuthorizationServerStub startAuthorizationServer() {
		AuthorizationServerStub server = new AuthorizationServerStub();
		server.answer(ErrorContractTests::answer);
		return server;
	}

	/** Answers by token, so that tests neither depend on their order nor on the cache. */
	private static MockResponse answer(String perStackToken) {
		String token = perStackToken.replaceFirst("^(servlet|reactive)-", "");
		return switch (token) {
			case "read-token" -> json(200, ACTIVE.formatted("Bearer", "read"));
			case "slow-read-token" -> {
				sleep(500);
				yield json(200, ACTIVE.formatted("Bearer", "read"));
			}
			case "write-token" -> json(200, ACTIVE.formatted("Bearer", "write"));
			case "refresh-token" -> json(200, ACTIVE.formatted("Refresh", "read"));
			case "server-error-token" -> json(500, "{\"error\":\"server_error\"}");
			case "unavailable-token" -> new MockResponse.Builder().code(503).addHeader("Retry-After", "7").build();
			case "garbage-token" -> json(200, "<html>maintenance</html>");
			// 2^64 + now + 300 wraps to a valid exp when narrowed to a long.
			case "exp-beyond-long" -> json(200, "{\"active\":true,\"scope\":\"read\",\"exp\":"
					+ BigInteger.TWO.pow(64).add(BigInteger.valueOf(System.currentTimeMillis() / 1000 + 300)) + "}");
			case "exp-beyond-instant" -> json(200, "{\"active\":true,\"scope\":\"read\",\"exp\":1e17}");
			case "iat-before-instant" -> json(200, "{\"active\":true,\"scope\":\"read\",\"iat\":-1e17}");
			default -> json(200, "{\"active\":false}");
		};
	}

	/** Long enough for every concurrent request to arrive while the call is open. */
	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static int unusedPort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
