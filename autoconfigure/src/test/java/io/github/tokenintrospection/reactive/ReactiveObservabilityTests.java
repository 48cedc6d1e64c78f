package io.github.tokenintrospection.reactive;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import com.jayway.jsonpath.JsonPath;
import io.github.tokenintrospection.cache.IntrospectionCacheControl;
import io.github.tokenintrospection.contract.NotesApplications;
import io.github.tokenintrospection.internal.actuate.IntrospectionHealthIndicator;
import io.github.tokenintrospection.internal.cache.IntrospectionCaches;
import io.github.tokenintrospection.internal.observation.MicrometerIntrospectionListener;
import io.github.tokenintrospection.testsupport.AuthorizationServerStub;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static io.github.tokenintrospection.testsupport.AuthorizationServerStub.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What operators see of a WebFlux application using the starter, on Netty with BlockHound
 * watching: the Micrometer meters for calls and decisions (cache miss and hit), the audit
 * trail line, the health indicator and the {@code tokenintrospection} actuator endpoint,
 * the same as for a servlet application.
 */
@ExtendWith(OutputCaptureExtension.class)
class ReactiveObservabilityTests {

	private static final String OPAQUETOKEN = "spring.security.oauth2.resourceserver.opaquetoken.";

	private static final AuthorizationServerStub authorizationServer = new AuthorizationServerStub();

	private static final String OPERATOR = "{\"active\":true,\"sub\":\"ops\",\"exp\":4102444800,"
			+ "\"token_type\":\"Bearer\",\"scope\":\"token-introspection:manage\"}";

	private static final HttpClient httpClient = HttpClient.newHttpClient();

	@AfterAll
	static void stopAuthorizationServer() {
		authorizationServer.close();
	}

	@Nested
	@SpringBootTest(classes = ReactiveActuatorApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = { "spring.main.web-application-type=reactive",
					"management.endpoints.web.exposure.include=health,tokenintrospection",
					"management.endpoint.tokenintrospection.access=unrestricted",
					"management.endpoint.health.show-details=always",
					"token-introspection.resilience.retry.enabled=false",
					"token-introspection.resilience.circuit-breaker.enabled=false" })
	class ActuatorExposed {

		@LocalServerPort
		int port;

		@Autowired
		MeterRegistry meterRegistry;

		@Autowired
		IntrospectionCacheControl cacheControl;

		@Autowired
		IntrospectionHealthIndicator healthIndicator;

		@DynamicPropertySource
		static void properties(DynamicPropertyRegistry registry) {
			registry.add(OPAQUETOKEN + "introspection-uri", authorizationServer::url);
			registry.add(OPAQUETOKEN + "client-id", () -> "notes-api");
			registry.add(OPAQUETOKEN + "client-secret", () -> "s3cret");
		}

		@BeforeEach
		void healthy() {
			authorizationServer.healthy();
			this.cacheControl.evictAll();
		}

		@Test
		void requestsThenCallTimerAndDecisionCountersRecordedForMissAndHit() {
			double callsBefore = calls("active");
			double missesBefore = decisions("accepted", "none", "miss");
			double hitsBefore = decisions("accepted", "none", "hit");
			double negativeBefore = decisions("rejected", "inactive", "miss");

			assertThat(api(this.port, "metrics-token").statusCode()).isEqualTo(200);
			assertThat(api(this.port, "metrics-token").statusCode()).isEqualTo(200);
			assertThat(api(this.port, "metrics-token").statusCode()).isEqualTo(200);
			assertThat(api(this.port, "inactive-metrics-token").statusCode()).isEqualTo(401);

			assertThat(calls("active") - callsBefore).isEqualTo(1);
			assertThat(decisions("accepted", "none", "miss") - missesBefore).isEqualTo(1);
			assertThat(decisions("accepted", "none", "hit") - hitsBefore).isEqualTo(2);
			assertThat(decisions("rejected", "inactive", "miss") - negativeBefore).isEqualTo(1);
			assertThat(this.meterRegistry.find("cache.gets").tag("cache", IntrospectionCaches.ACTIVE_CACHE_NAME).meters())
				.isNotEmpty();
		}

		@Test
		void serverFailsThenErrorDecisionCountedAndHealthDegradedUntilAnAnswer() {
			double errorsBefore = decisions("error", "unavailable", "none");
			authorizationServer.answer(json(500, "{\"error\":\"server_error\"}"));

			assertThat(api(this.port, "broken-token").statusCode()).isEqualTo(503);

			assertThat(decisions("error", "unavailable", "none") - errorsBefore).isEqualTo(1);
			assertThat(this.meterRegistry.get(MicrometerIntrospectionListener.CALLS)
				.tags("outcome", "error")
				.timer()
				.count()).isPositive();
			HttpResponse<String> down = send(this.port, "GET", "/actuator/health", null);
			assertThat((String) JsonPath.read(down.body(), "$.components.tokenIntrospection.status"))
				.isEqualTo("DEGRADED");
			assertThat((String) JsonPath.read(down.body(), "$.status")).isEqualTo("UP");
			assertThat(down.body()).doesNotContain("broken-token");

			authorizationServer.healthy();
			assertThat(api(this.port, "after-outage-token").statusCode()).isEqualTo(200);

			HttpResponse<String> up = send(this.port, "GET", "/actuator/health", null);
			assertThat((String) JsonPath.read(up.body(), "$.components.tokenIntrospection.status")).isEqualTo("UP");
			assertThat(this.healthIndicator.health().getStatus().getCode()).isEqualTo("UP");
		}

		@Test
		void requestThenOneAuditLineWithFingerprintAndWithoutTheToken(CapturedOutput output) {
			assertThat(api(this.port, "audited-token").statusCode()).isEqualTo(200);

			String fingerprint = IntrospectionCacheControl.fingerprint("audited-token");
			assertThat(output.getAll().lines().filter((line) -> line.contains("fingerprint=" + fingerprint)))
				.singleElement()
				.satisfies((line) -> assertThat(line).contains("token-introspection decision=accepted reason=none cache=miss")
					.contains("sub=alice")
					.doesNotContain("audited-token"));
		}

		@Test
		void endpointThenStatisticsAndEvictionOfOneToken() {
			assertThat(api(this.port, "evicted-token").statusCode()).isEqualTo(200);
			assertThat(api(this.port, "evicted-token").statusCode()).isEqualTo(200);
			assertThat(authorizationServer.calls("evicted-token")).isEqualTo(1);

			HttpResponse<String> statistics = send(this.port, "GET", "/actuator/tokenintrospection", null);
			assertThat(statistics.statusCode()).isEqualTo(200);
			assertThat((Integer) JsonPath.read(statistics.body(), "$.active.size")).isEqualTo(1);
			assertThat((Integer) JsonPath.read(statistics.body(), "$.active.hits")).isPositive();

			authorizationServer.answer((token) -> json(200, token.equals("operator-token") ? OPERATOR
					: token.startsWith("inactive") ? "{\"active\":false}" : AuthorizationServerStub.ACTIVE));
			assertThat(send(this.port, "POST", "/actuator/tokenintrospection", "{\"token\":\"evicted-token\"}",
					"reader-token").statusCode()).as("an ordinary scope cannot evict").isEqualTo(403);
			assertThat(send(this.port, "DELETE", "/actuator/tokenintrospection", null, null).statusCode())
				.isEqualTo(401);
			assertThat(api(this.port, "evicted-token").statusCode()).isEqualTo(200);
			assertThat(authorizationServer.calls("evicted-token")).as("still cached").isEqualTo(1);

			HttpResponse<String> evicted = send(this.port, "POST", "/actuator/tokenintrospection",
					"{\"token\":\"evicted-token\"}", "operator-token");
			assertThat(evicted.statusCode()).isBetween(200, 204);

			assertThat(api(this.port, "evicted-token").statusCode()).isEqualTo(200);
			assertThat(authorizationServer.calls("evicted-token")).isEqualTo(2);
		}

		private double calls(String outcome) {
			return this.meterRegistry.find(MicrometerIntrospectionListener.CALLS)
				.tags("outcome", outcome)
				.timers()
				.stream()
				.mapToDouble((timer) -> timer.count())
				.sum();
		}

		private double decisions(String decision, String reason, String cache) {
			var counter = this.meterRegistry.find(MicrometerIntrospectionListener.DECISIONS)
				.tags("decision", decision, "reason", reason, "cache", cache)
				.counter();
			return (counter != null) ? counter.count() : 0;
		}

	}

	private static HttpResponse<String> api(int port, String token) {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/notes"))
			.header("Authorization", "Bearer " + token)
			.GET()
			.build();
		return httpClient.sendAsync(request, HttpResponse.BodyHandlers.ofString()).join();
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
		return httpClient.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString()).join();
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@EnableWebFluxSecurity
	@Import(NotesApplications.ReactiveNotesController.class)
	static class ReactiveActuatorApplication {

		@Bean
		NettyReactiveWebServerFactory nettyReactiveWebServerFactory() {
			return new NettyReactiveWebServerFactory();
		}

		/**
		 * Actuator open at the filter level for the test's sake (applications secure it like
		 * any admin API); a bearer token still authenticates, so that the endpoint's own
		 * check of the write authority is what guards evictions.
		 */
		@Bean
		@Order(1)
		SecurityWebFilterChain actuatorSecurityWebFilterChain(ServerHttpSecurity http) {
			http.securityMatcher(ServerWebExchangeMatchers.pathMatchers("/actuator/**"))
				.authorizeExchange((exchanges) -> exchanges.anyExchange().permitAll())
				.oauth2ResourceServer((resourceServer) -> resourceServer.opaqueToken(Customizer.withDefaults()))
				.csrf((csrf) -> csrf.disable());
			return http.build();
		}

		@Bean
		@Order(2)
		SecurityWebFilterChain apiSecurityWebFilterChain(ServerHttpSecurity http) {
			http.authorizeExchange((exchanges) -> exchanges.anyExchange().authenticated())
				.oauth2ResourceServer((resourceServer) -> resourceServer.opaqueToken(Customizer.withDefaults()));
			return http.build();
		}

	}

}
