package io.github.tokenintrospection.reactive;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import io.github.tokenintrospection.observation.IntrospectionDecision;
import io.github.tokenintrospection.observation.IntrospectionListener;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.config.annotation.method.configuration.EnableReactiveMethodSecurity;
import org.springframework.security.oauth2.server.resource.introspection.ReactiveOpaqueTokenIntrospector;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTTP contract of a WebFlux resource server using the starter, on a real Netty server
 * with BlockHound watching its event loops: the same 200 / 401 / 403 / 503 as the servlet
 * stack, and one introspection call per token under concurrency.
 */
@ExtendWith(OutputCaptureExtension.class)
class ReactiveErrorContractTests {

	private static final String OPAQUETOKEN = "spring.security.oauth2.resourceserver.opaquetoken.";

	private static final CountingDispatcher dispatcher = new CountingDispatcher();

	private static final MockWebServer authorizationServer = startAuthorizationServer();

	private static final int closedPort = unusedPort();

	private static final HttpClient httpClient = HttpClient.newHttpClient();

	@AfterAll
	static void stopAuthorizationServer() {
		authorizationServer.close();
	}

	@Nested
	@SpringBootTest(classes = ReactiveNotesApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = { "spring.main.web-application-type=reactive",
					// These tests fail the server on purpose; an open breaker would hide the cases.
					"token-introspection.resilience.circuit-breaker.enabled=false" })
	class DefaultSecurityFilterChain {

		@LocalServerPort
		int port;

		@Autowired
		ReactiveOpaqueTokenIntrospector introspector;

		@Autowired
		DecisionThreads decisionThreads;

		@DynamicPropertySource
		static void introspection(DynamicPropertyRegistry registry) {
			registerIntrospection(registry, authorizationServer.url("/introspect").toString());
		}

		@Test
		void introspectorIsTheStartersReactiveOne() {
			assertThat(this.introspector).isInstanceOf(ReactiveValidatingOpaqueTokenIntrospector.class);
		}

		@Test
		void getWhenActiveTokenWithScopeThen200() {
			HttpResponse<String> response = get(this.port, "/notes", "read-token");

			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(response.body()).isEqualTo("notes of alice");
		}

		@Test
		void getWhenCachedThenDecidedOnTheEventLoopWithoutBlocking() {
			assertThat(get(this.port, "/notes", "cached-read-token").statusCode()).isEqualTo(200);
			this.decisionThreads.nonBlocking.clear();

			assertThat(get(this.port, "/notes", "cached-read-token").statusCode()).isEqualTo(200);

			// A cache hit is decided on the server's event loop, where BlockHound fails any
			// blocking call: the whole pipeline ran there.
			assertThat(this.decisionThreads.nonBlocking).containsExactly(true);
			assertThat(dispatcher.calls("cached-read-token")).isEqualTo(1);
		}

		@Test
		void getWhenBlockingOnTheEventLoopThenFails() {
			// Proof that BlockHound watches the threads these requests run on.
			assertThat(get(this.port, "/blocking", "read-token").statusCode()).isEqualTo(500);
		}

		@Test
		void getWhenActiveTokenWithoutScopeThen403() {
			HttpResponse<String> response = get(this.port, "/notes", "write-token");

			assertThat(response.statusCode()).isEqualTo(403);
			assertThat(response.headers().firstValue("WWW-Authenticate"))
				.hasValueSatisfying((value) -> assertThat(value).contains("insufficient_scope"));
		}

		@Test
		void getWhenInactiveTokenThen401InvalidToken() {
			HttpResponse<String> response = get(this.port, "/notes", "inactive-token");

			assertThat(response.statusCode()).isEqualTo(401);
			assertThat(response.headers().firstValue("WWW-Authenticate"))
				.hasValueSatisfying((value) -> assertThat(value).contains("Bearer error=\"invalid_token\""));
		}

		@Test
		void getWhenTokenFailsValidationThen401InvalidToken() {
			HttpResponse<String> response = get(this.port, "/notes", "refresh-token");

			assertThat(response.statusCode()).isEqualTo(401);
			assertThat(response.headers().firstValue("WWW-Authenticate"))
				.hasValueSatisfying((value) -> assertThat(value).contains("Bearer error=\"invalid_token\"")
					.contains("not an access token"));
		}

		@Test
		void getWhenTokenTooLongThen401WithoutCallingTheServer() {
			String longToken = "a".repeat(5000);

			HttpResponse<String> response = get(this.port, "/notes", longToken);

			assertThat(response.statusCode()).isEqualTo(401);
			assertThat(dispatcher.calls(longToken)).isZero();
		}

		@Test
		void getWhenAuthorizationServerAnswers500Then503WithJsonAndRetryAfter() {
			assertServiceUnavailable(get(this.port, "/notes", "server-error-token"));
			// A failure is not cached: the next request asks again.
			int calls = dispatcher.calls("server-error-token");
			assertServiceUnavailable(get(this.port, "/notes", "server-error-token"));
			assertThat(dispatcher.calls("server-error-token")).isEqualTo(calls + 1);
		}

		@Test
		void getWhenAuthorizationServerAnswersGarbageThen503WithJson() {
			assertServiceUnavailable(get(this.port, "/notes", "garbage-token"));
		}

		@ParameterizedTest
		@ValueSource(strings = { "exp-beyond-long-token", "exp-beyond-instant-token", "iat-before-instant-token" })
		void getWhenTimeClaimOutOfRangeThen503NotCached(String token, CapturedOutput output) {
			assertServiceUnavailable(get(this.port, "/notes", token));
			assertServiceUnavailable(get(this.port, "/notes", token));

			assertThat(dispatcher.calls(token)).isEqualTo(2);
			assertThat(output).contains("Malformed introspection response: claim '")
				.doesNotContain("DateTimeException")
				.doesNotContain(token);
		}

		@Test
		void getWhen503FromAuthorizationServerThenRetriedAndItsRetryAfterPassedOn() {
			HttpResponse<String> response = get(this.port, "/notes", "unavailable-token");

			assertServiceUnavailable(response);
			assertThat(response.headers().firstValue("Retry-After")).hasValue("7");
			// Two retries, as in the servlet pipeline.
			assertThat(dispatcher.calls("unavailable-token")).isEqualTo(3);
		}

		@Test
		void getWhenManyConcurrentRequestsForOneTokenThenOneIntrospectionCall() {
			List<CompletableFuture<HttpResponse<String>>> responses = IntStream.range(0, 40)
				.mapToObj((i) -> getAsync(this.port, "/notes", "slow-read-token"))
				.toList();

			assertThat(responses).allSatisfy((response) -> assertThat(response.join().statusCode()).isEqualTo(200));
			assertThat(dispatcher.calls("slow-read-token")).isEqualTo(1);
		}

		@Test
		void getWhenInactiveTokenRepeatedThenNegativeCacheAnswers() {
			assertThat(get(this.port, "/notes", "other-inactive-token").statusCode()).isEqualTo(401);
			assertThat(get(this.port, "/notes", "other-inactive-token").statusCode()).isEqualTo(401);

			assertThat(dispatcher.calls("other-inactive-token")).isEqualTo(1);
		}

	}

	@Nested
	@SpringBootTest(classes = ReactiveNotesApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = "spring.main.web-application-type=reactive")
	class AuthorizationServerDown {

		@LocalServerPort
		int port;

		@DynamicPropertySource
		static void introspection(DynamicPropertyRegistry registry) {
			registerIntrospection(registry, "http://127.0.0.1:" + closedPort + "/introspect");
		}

		@Test
		void getWhenConnectionRefusedThen503WithJsonAndDefaultRetryAfter(CapturedOutput output) {
			HttpResponse<String> response = get(this.port, "/notes", "read-token");

			assertServiceUnavailable(response);
			assertThat(output).containsPattern(" WARN .*Token introspection failed, answering 503: Introspection "
					+ "request to http://127.0.0.1:" + closedPort + "/introspect failed after \\d+ ms: could not connect")
				.doesNotContain(": null");
			assertThat(response.headers().firstValue("Retry-After")).hasValue("5");
			assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
		}

	}

	private static void registerIntrospection(DynamicPropertyRegistry registry, String uri) {
		registry.add(OPAQUETOKEN + "introspection-uri", () -> uri);
		registry.add(OPAQUETOKEN + "client-id", () -> "notes-api");
		registry.add(OPAQUETOKEN + "client-secret", () -> "s3cret");
	}

	private static void assertServiceUnavailable(HttpResponse<String> response) {
		assertThat(response.statusCode()).isEqualTo(503);
		assertThat(response.headers().firstValue("Retry-After")).isPresent();
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
		assertThat(response.body()).contains("\"error\":\"temporarily_unavailable\"");
	}

	private static HttpResponse<String> get(int port, String path, String token) {
		return getAsync(port, path, token).join();
	}

	private static CompletableFuture<HttpResponse<String>> getAsync(int port, String path, String token) {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
			.header("Authorization", "Bearer " + token)
			.GET()
			.build();
		return httpClient.sendAsync(request, HttpResponse.BodyHandlers.ofString());
	}

	private static MockWebServer startAuthorizationServer() {
		MockWebServer server = new MockWebServer();
		server.setDispatcher(dispatcher);
		try {
			server.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return server;
	}

	private static int unusedPort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Answers by token, so that tests neither depend on their order nor on the cache, and
	 * counts the calls per token.
	 */
	static class CountingDispatcher extends Dispatcher {

		private static final String ACTIVE = "{\"active\":true,\"sub\":\"alice\",\"exp\":4102444800,"
				+ "\"token_type\":\"%s\",\"scope\":\"%s\"}";

		private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

		int calls(String token) {
			AtomicInteger count = this.calls.get(token);
			return (count != null) ? count.get() : 0;
		}

		@Override
		public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
			String token = token(request);
			this.calls.computeIfAbsent(token, (key) -> new AtomicInteger()).incrementAndGet();
			return switch (token) {
				case "read-token", "cached-read-token" -> json(200, ACTIVE.formatted("Bearer", "read"));
				case "slow-read-token" -> {
					// Long enough for every concurrent request to arrive while the call is open.
					Thread.sleep(500);
					yield json(200, ACTIVE.formatted("Bearer", "read"));
				}
				case "write-token" -> json(200, ACTIVE.formatted("Bearer", "write"));
				case "refresh-token" -> json(200, ACTIVE.formatted("Refresh", "read"));
				case "server-error-token" -> json(500, "{\"error\":\"server_error\"}");
				case "unavailable-token" -> new MockResponse.Builder().code(503).addHeader("Retry-After", "7").build();
				case "garbage-token" -> json(200, "<html>maintenance</html>");
				// 2^64 + now + 300 wraps to a valid exp when narrowed to a long.
				case "exp-beyond-long-token" -> json(200, "{\"active\":true,\"scope\":\"read\",\"exp\":"
						+ BigInteger.TWO.pow(64).add(BigInteger.valueOf(System.currentTimeMillis() / 1000 + 300)) + "}");
				case "exp-beyond-instant-token" -> json(200, "{\"active\":true,\"scope\":\"read\",\"exp\":1e17}");
				case "iat-before-instant-token" -> json(200, "{\"active\":true,\"scope\":\"read\",\"iat\":-1e17}");
				default -> json(200, "{\"active\":false}");
			};
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

		private static MockResponse json(int code, String body) {
			return new MockResponse.Builder().code(code)
				.addHeader("Content-Type", "application/json")
				.body(body)
				.build();
		}

	}

	/** Whether each decision was made on a non-blocking thread. */
	static class DecisionThreads implements IntrospectionListener {

		final List<Boolean> nonBlocking = new CopyOnWriteArrayList<>();

		@Override
		public void decisionMade(IntrospectionDecision decision) {
			this.nonBlocking.add(Schedulers.isInNonBlockingThread());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@EnableReactiveMethodSecurity
	@Import(NotesController.class)
	static class ReactiveNotesApplication {

		@Bean
		NettyReactiveWebServerFactory nettyReactiveWebServerFactory() {
			// Netty, not Tomcat (also on the test class path): event loops that BlockHound watches.
			return new NettyReactiveWebServerFactory();
		}

		@Bean
		DecisionThreads decisionThreads() {
			return new DecisionThreads();
		}

	}

	@RestController
	static class NotesController {

		@GetMapping("/notes")
		@PreAuthorize("hasAuthority('SCOPE_read')")
		Mono<String> notes(java.security.Principal principal) {
			return Mono.just("notes of " + principal.getName());
		}

		@GetMapping("/blocking")
		String blocking() throws InterruptedException {
			Thread.sleep(1);
			return "slept";
		}

	}

}
