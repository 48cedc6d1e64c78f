package io.github.tokenintrospection.actuate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.jayway.jsonpath.JsonPath;
import io.github.tokenintrospection.cache.IntrospectionCacheControl;
import io.github.tokenintrospection.internal.cache.IntrospectionCaches;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What an operator does over HTTP, on a real embedded server: read cache statistics and evict
 * through the {@code tokenintrospection} endpoint, watch the health indicator follow the
 * authorization server, and read the meters.
 */
class TokenIntrospectionActuatorIntegrationTests {

	private static final String OPAQUETOKEN = "spring.security.oauth2.resourceserver.opaquetoken.";

	private static final AuthorizationServerDispatcher dispatcher = new AuthorizationServerDispatcher();

	private static final MockWebServer authorizationServer = startAuthorizationServer();

	private static final HttpClient httpClient = HttpClient.newHttpClient();

	private static final String OPERATOR_TOKEN = "operator-token";

	@AfterAll
	static void stopAuthorizationServer() {
		authorizationServer.close();
	}

	@Nested
	@SpringBootTest(classes = NotesApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = { "management.endpoints.web.exposure.include=health,tokenintrospection,metrics",
					"management.endpoint.tokenintrospection.access=unrestricted",
					"management.endpoint.health.show-details=always", "management.endpoint.health.probes.enabled=true" })
	class EndpointAccessGranted {

		@LocalServerPort
		int port;

		@Autowired
		IntrospectionCacheControl cacheControl;

		@DynamicPropertySource
		static void introspection(DynamicPropertyRegistry registry) {
			registerIntrospection(registry);
		}

		@BeforeEach
		void emptyCaches() {
			this.cacheControl.evictAll();
		}

		@Test
		void getThenCacheStatisticsAsJson() {
			assertThat(api(this.port, "read-statistics").statusCode()).isEqualTo(200);
			assertThat(api(this.port, "read-statistics").statusCode()).isEqualTo(200);
			assertThat(api(this.port, "inactive-statistics").statusCode()).isEqualTo(401);

			HttpResponse<String> response = send(this.port, "GET", "/actuator/tokenintrospection", null);

			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(response.headers().firstValue("Content-Type"))
				.hasValueSatisfying((value) -> assertThat(value).contains("json"));
			String json = response.body();
			assertThat((String) JsonPath.read(json, "$.active.name")).isEqualTo(IntrospectionCaches.ACTIVE_CACHE_NAME);
			assertThat((Integer) JsonPath.read(json, "$.active.size")).isEqualTo(1);
			assertThat((Integer) JsonPath.read(json, "$.active.hits")).isPositive();
			assertThat((Integer) JsonPath.read(json, "$.active.misses")).isPositive();
			assertThat((Integer) JsonPath.read(json, "$.active.evictions")).isNotNegative();
			assertThat((String) JsonPath.read(json, "$.inactive.name"))
				.isEqualTo(IntrospectionCaches.INACTIVE_CACHE_NAME);
			assertThat((Integer) JsonPath.read(json, "$.inactive.size")).isEqualTo(1);
			assertThat(json).doesNotContain("read-statistics").doesNotContain("inactive-statistics");
		}

		@Test
		void postTokenThenNextRequestIntrospectsAgain() {
			assertThat(api(this.port, "read-evict-by-token").statusCode()).isEqualTo(200);
			assertThat(api(this.port, "read-evict-by-token").statusCode()).isEqualTo(200);
			assertThat(dispatcher.calls("read-evict-by-token")).isEqualTo(1);

			HttpResponse<String> response = operate(this.port, "POST",
					"{\"token\":\"read-evict-by-token\"}");

			assertThat(response.statusCode()).isEqualTo(200);
			assertThat((Integer) JsonPath.read(response.body(), "$.evicted")).isEqualTo(1);
			assertThat((String) JsonPath.read(response.body(), "$.fingerprint"))
				.isEqualTo(IntrospectionCacheControl.fingerprint("read-evict-by-token"));
			assertThat(response.body()).doesNotContain("read-evict-by-token");
			assertThat(api(this.port, "read-evict-by-token").statusCode()).isEqualTo(200);
			assertThat(dispatcher.calls("read-evict-by-token")).isEqualTo(2);
		}

		@Test
		void postFingerprintThenOnlyThatTokenIntrospectsAgain() {
			api(this.port, "read-evict-by-fingerprint");
			api(this.port, "read-kept");
			assertThat(dispatcher.calls("read-evict-by-fingerprint")).isEqualTo(1);

			HttpResponse<String> response = operate(this.port, "POST",
					"{\"fingerprint\":\"" + IntrospectionCacheControl.fingerprint("read-evict-by-fingerprint") + "\"}");

			assertThat(response.statusCode()).isEqualTo(200);
			assertThat((Integer) JsonPath.read(response.body(), "$.evicted")).isEqualTo(1);
			assertThat(api(this.port, "read-evict-by-fingerprint").statusCode()).isEqualTo(200);
			assertThat(api(this.port, "read-kept").statusCode()).isEqualTo(200);
			assertThat(dispatcher.calls("read-evict-by-fingerprint")).isEqualTo(2);
			assertThat(dispatcher.calls("read-kept")).isEqualTo(1);
		}

		@Test
		void postRevokedTokenThenNextRequestIsRejectedAtOnce() {
			assertThat(api(this.port, "read-then-revoked").statusCode()).isEqualTo(200);
			dispatcher.revoke("read-then-revoked");
			assertThat(api(this.port, "read-then-revoked").statusCode()).as("still cached").isEqualTo(200);

			operate(this.port, "POST", "{\"token\":\"read-then-revoked\"}");

			assertThat(api(this.port, "read-then-revoked").statusCode()).isEqualTo(401);
		}

		@Test
		void postWithoutTokenOrFingerprintThenBadRequest() {
			assertThat(operate(this.port, "POST", "{}").statusCode()).isEqualTo(400);
		}

		@Test
		void postMalformedFingerprintThenBadRequest() {
			assertThat(operate(this.port, "POST", "{\"fingerprint\":\"abc\"}").statusCode())
				.isEqualTo(400);
		}

		@Test
		void deleteThenEveryTokenIntrospectsAgain() {
			api(this.port, "read-evict-all-1");
			api(this.port, "read-evict-all-2");
			api(this.port, "inactive-evict-all");

			HttpResponse<String> response = operate(this.port, "DELETE", null);

			assertThat(response.statusCode()).isEqualTo(200);
			assertThat((String) JsonPath.read(response.body(), "$.scope")).isEqualTo("this-instance-only");
			String statistics = send(this.port, "GET", "/actuator/tokenintrospection", null).body();
			assertThat((Integer) JsonPath.read(statistics, "$.active.size")).isZero();
			assertThat((Integer) JsonPath.read(statistics, "$.inactive.size")).isZero();
			api(this.port, "read-evict-all-1");
			api(this.port, "read-evict-all-2");
			api(this.port, "inactive-evict-all");
			assertThat(dispatcher.calls("read-evict-all-1")).isEqualTo(2);
			assertThat(dispatcher.calls("read-evict-all-2")).isEqualTo(2);
			assertThat(dispatcher.calls("inactive-evict-all")).isEqualTo(2);
		}

		@Test
		void postOrDeleteWhenTokenHasOnlyOrdinaryScopeThenForbiddenAndNothingEvicted() {
			assertThat(api(this.port, "read-not-an-operator").statusCode()).isEqualTo(200);

			HttpResponse<String> post = send(this.port, "POST", "/actuator/tokenintrospection",
					"{\"token\":\"read-not-an-operator\"}", "read-not-an-operator");
			HttpResponse<String> delete = send(this.port, "DELETE", "/actuator/tokenintrospection", null,
					"read-not-an-operator");

			assertThat(post.statusCode()).isEqualTo(403);
			assertThat(delete.statusCode()).isEqualTo(403);
			assertThat(api(this.port, "read-not-an-operator").statusCode()).isEqualTo(200);
			assertThat(dispatcher.calls("read-not-an-operator")).as("still cached").isEqualTo(1);
		}

		@Test
		void postWhenNoTokenThenUnauthorized() {
			assertThat(send(this.port, "POST", "/actuator/tokenintrospection", "{\"token\":\"x\"}").statusCode())
				.isEqualTo(401);
			assertThat(send(this.port, "DELETE", "/actuator/tokenintrospection", null).statusCode()).isEqualTo(401);
		}

		@Test
		void healthWhenServerDownThenComponentDegradedWithReasonButOverallAndReadinessUp() {
			dispatcher.outage(true);
			try {
				assertThat(api(this.port, "read-during-outage").statusCode()).isEqualTo(503);

				HttpResponse<String> health = send(this.port, "GET", "/actuator/health", null);

				assertThat(health.statusCode()).as("a load balancer keeps the instance").isEqualTo(200);
				assertThat((String) JsonPath.read(health.body(), "$.status")).isEqualTo("UP");
				assertThat((String) JsonPath.read(health.body(), "$.components.tokenIntrospection.status"))
					.isEqualTo("DEGRADED");
				assertThat((Integer) JsonPath.read(health.body(),
						"$.components.tokenIntrospection.details.consecutiveFailures"))
					.isPositive();
				assertThat((String) JsonPath.read(health.body(), "$.components.tokenIntrospection.details.lastError"))
					.contains("500");
				assertThat((String) JsonPath.read(health.body(), "$.components.tokenIntrospection.details.failingSince"))
					.isNotBlank();
				assertThat(health.body()).doesNotContain("read-during-outage");
				HttpResponse<String> readiness = send(this.port, "GET", "/actuator/health/readiness", null);
				assertThat(readiness.statusCode()).as("not part of readiness by default").isEqualTo(200);
				assertThat(readiness.body()).doesNotContain("tokenIntrospection");
			}
			finally {
				dispatcher.outage(false);
			}
			assertThat(api(this.port, "read-health").statusCode()).isEqualTo(200);

			HttpResponse<String> up = send(this.port, "GET", "/actuator/health", null);
			assertThat((String) JsonPath.read(up.body(), "$.components.tokenIntrospection.status")).isEqualTo("UP");
			assertThat((Integer) JsonPath.read(up.body(), "$.components.tokenIntrospection.details.consecutiveFailures"))
				.isZero();
		}

		@Test
		void healthWhenServerRecoversWithoutTrafficThenUpAgainByItsOwnProbe() {
			dispatcher.outage(true);
			try {
				assertThat(api(this.port, "read-before-recovery").statusCode()).isEqualTo(503);
				assertThat(healthStatus(this.port)).isEqualTo("DEGRADED");
			}
			finally {
				dispatcher.outage(false);
			}
			int probesBefore = dispatcher.unknownTokenCalls();

			Awaitility.await()
				.atMost(Duration.ofSeconds(30))
				.pollInterval(Duration.ofSeconds(1))
				.until(() -> healthStatus(this.port), "UP"::equals);

			assertThat(dispatcher.unknownTokenCalls()).as("the probe asked the server").isGreaterThan(probesBefore);
			assertThat(dispatcher.calls("read-before-recovery")).as("no request needed").isEqualTo(1);
		}

		@Test
		void metricsThenCallsDecisionsAndCacheMetersAreExposed() {
			api(this.port, "read-metrics");
			api(this.port, "read-metrics");

			HttpResponse<String> calls = send(this.port, "GET",
					"/actuator/metrics/token.introspection.calls?tag=outcome:active", null);
			assertThat(calls.statusCode()).isEqualTo(200);
			assertThat(calls.body()).contains("\"error\"");
			HttpResponse<String> hits = send(this.port, "GET",
					"/actuator/metrics/token.introspection.decisions?tag=decision:accepted&tag=cache:hit", null);
			assertThat(hits.statusCode()).isEqualTo(200);
			assertThat((Double) JsonPath.read(hits.body(), "$.measurements[0].value")).isGreaterThanOrEqualTo(1.0);
			HttpResponse<String> cacheGets = send(this.port, "GET",
					"/actuator/metrics/cache.gets?tag=cache:" + IntrospectionCaches.ACTIVE_CACHE_NAME + "&tag=result:hit",
					null);
			assertThat(cacheGets.statusCode()).isEqualTo(200);
			assertThat((Double) JsonPath.read(cacheGets.body(), "$.measurements[0].value")).isGreaterThanOrEqualTo(1.0);
			assertThat(send(this.port, "GET", "/actuator/metrics/token.introspection.calls", null).body())
				.doesNotContain("read-metrics")
				.doesNotContain("alice");
		}

	}

	@Nested
	@SpringBootTest(classes = NotesApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = { "management.endpoints.web.exposure.include=health,tokenintrospection,metrics",
					"management.endpoint.health.show-details=always" })
	class EndpointAccessNotGranted {

		@LocalServerPort
		int port;

		@Autowired
		ApplicationContext context;

		@DynamicPropertySource
		static void introspection(DynamicPropertyRegistry registry) {
			registerIntrospection(registry);
		}

		@Test
		void endpointThenAbsentByDefault() {
			api(this.port, "read-off-by-default");

			assertThat(send(this.port, "GET", "/actuator/tokenintrospection", null).statusCode()).isEqualTo(404);
			assertThat(operate(this.port, "POST", "{\"token\":\"read-off-by-default\"}")
				.statusCode()).isEqualTo(404);
			assertThat(operate(this.port, "DELETE", null).statusCode()).isEqualTo(404);
			assertThat(this.context.getBeanNamesForType(TokenIntrospectionEndpoint.class)).isEmpty();
			api(this.port, "read-off-by-default");
			assertThat(dispatcher.calls("read-off-by-default")).isEqualTo(1);
		}

		@Test
		void healthThenIndicatorPresentByDefault() {
			HttpResponse<String> health = send(this.port, "GET", "/actuator/health", null);

			assertThat(health.body()).contains("\"tokenIntrospection\"");
		}

	}

	@Nested
	@SpringBootTest(classes = NotesApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = { "management.endpoints.web.exposure.include=health",
					"management.endpoint.health.show-details=always",
					"management.health.tokenintrospection.enabled=false" })
	class HealthIndicatorSwitchedOff {

		@LocalServerPort
		int port;

		@DynamicPropertySource
		static void introspection(DynamicPropertyRegistry registry) {
			registerIntrospection(registry);
		}

		@Test
		void healthThenNoTokenIntrospectionComponent() {
			assertThat(api(this.port, "broken-switched-off").statusCode()).isEqualTo(503);

			HttpResponse<String> health = send(this.port, "GET", "/actuator/health", null);

			assertThat(health.statusCode()).isEqualTo(200);
			assertThat(health.body()).contains("\"components\"").doesNotContain("tokenIntrospection");
		}

	}

	private static void registerIntrospection(DynamicPropertyRegistry registry) {
		registry.add(OPAQUETOKEN + "introspection-uri", () -> authorizationServer.url("/introspect").toString());
		registry.add(OPAQUETOKEN + "client-id", () -> "notes-api");
		registry.add(OPAQUETOKEN + "client-secret", () -> "s3cret");
	}

	private static HttpResponse<String> api(int port, String token) {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/notes"))
			.header("Authorization", "Bearer " + token)
			.GET()
			.build();
		return send(request);
	}

	private static String healthStatus(int port) {
		return JsonPath.read(send(port, "GET", "/actuator/health", null).body(),
				"$.components.tokenIntrospection.status");
	}

	/** A write operation of the endpoint, sent with a token that holds the write authority. */
	private static HttpResponse<String> operate(int port, String method, String json) {
		return send(port, method, "/actuator/tokenintrospection", json, OPERATOR_TOKEN);
	}

	private static HttpResponse<String> send(int port, String method, String path, String json) {
		return send(port, method, path, json, null);
	}

	private static HttpResponse<String> send(int port, String method, String path, String json, String bearer) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
		if (bearer != null) {
			request.header("Authorization", "Bearer " + bearer);
		}
		if (json != null) {
			request.header("Content-Type", "application/json")
				.method(method, HttpRequest.BodyPublishers.ofString(json));
		}
		else {
			request.method(method, HttpRequest.BodyPublishers.noBody());
		}
		return send(request.build());
	}

	private static HttpResponse<String> send(HttpRequest request) {
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

	/**
	 * Answers by token ({@code read-*} active, {@code broken-*} HTTP 500, anything else
	 * inactive) and counts the calls per token, so that tests do not depend on each other.
	 */
	static class AuthorizationServerDispatcher extends Dispatcher {

		private static final String ACTIVE = "{\"active\":true,\"sub\":\"alice\",\"client_id\":\"notes-web\","
				+ "\"exp\":4102444800,\"token_type\":\"Bearer\",\"scope\":\"read\"}";

		private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

		private static final String OPERATOR = "{\"active\":true,\"sub\":\"ops\",\"client_id\":\"ops-cli\","
				+ "\"exp\":4102444800,\"token_type\":\"Bearer\",\"scope\":\"token-introspection:manage\"}";

		private final Map<String, Boolean> revoked = new ConcurrentHashMap<>();

		private final AtomicInteger unknownTokenCalls = new AtomicInteger();

		private volatile boolean outage;

		void outage(boolean outage) {
			this.outage = outage;
		}

		int unknownTokenCalls() {
			return this.unknownTokenCalls.get();
		}

		int calls(String token) {
			AtomicInteger count = this.calls.get(token);
			return (count != null) ? count.get() : 0;
		}

		void revoke(String token) {
			this.revoked.put(token, Boolean.TRUE);
		}

		@Override
		public MockResponse dispatch(RecordedRequest request) {
			String token = token(request);
			this.calls.computeIfAbsent(token, (key) -> new AtomicInteger()).incrementAndGet();
			if (this.outage || token.startsWith("broken-")) {
				return json(500, "{\"error\":\"server_error\"}");
			}
			if (token.equals(OPERATOR_TOKEN)) {
				return json(200, OPERATOR);
			}
			if (token.startsWith("read-") && !this.revoked.containsKey(token)) {
				return json(200, ACTIVE);
			}
			if (!token.startsWith("inactive-")) {
				this.unknownTokenCalls.incrementAndGet();
			}
			return json(200, "{\"active\":false}");
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

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(NotesController.class)
	static class NotesApplication {

		/**
		 * Actuator open at the filter level for the test's sake (applications secure it like
		 * any admin API); a bearer token still authenticates, so that the endpoint's own
		 * check of the write authority is what guards evictions.
		 */
		@Bean
		@Order(1)
		SecurityFilterChain actuatorSecurityFilterChain(HttpSecurity http) throws Exception {
			http.securityMatcher("/actuator/**", "/error")
				.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll())
				.oauth2ResourceServer((resourceServer) -> resourceServer.opaqueToken(Customizer.withDefaults()))
				.csrf((csrf) -> csrf.disable());
			return http.build();
		}

		@Bean
		@Order(2)
		SecurityFilterChain apiSecurityFilterChain(HttpSecurity http) throws Exception {
			http.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated())
				.oauth2ResourceServer((resourceServer) -> resourceServer.opaqueToken(Customizer.withDefaults()));
			return http.build();
		}

	}

	@RestController
	static class NotesController {

		@GetMapping("/notes")
		String notes(java.security.Principal principal) {
			return "notes of " + principal.getName();
		}

	}

}
