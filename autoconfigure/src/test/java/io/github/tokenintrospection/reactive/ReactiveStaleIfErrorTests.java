package io.github.tokenintrospection.reactive;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.tokenintrospection.IntrospectedToken;
import io.github.tokenintrospection.cache.IntrospectionCacheControl;
import io.github.tokenintrospection.cache.StaleResultListener;
import io.github.tokenintrospection.contract.NotesApplications;
import io.github.tokenintrospection.testsupport.AuthorizationServerStub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionException;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static io.github.tokenintrospection.testsupport.AuthorizationServerStub.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stale-if-error in a WebFlux application, on Netty with BlockHound watching: a token the
 * server called active shortly before an outage is still accepted during it, marked with
 * the {@code X-Token-Introspection-Stale} header; without the setting, or for a token the
 * server called inactive, the outage means 503.
 */
class ReactiveStaleIfErrorTests {

	private static final String OPAQUETOKEN = "spring.security.oauth2.resourceserver.opaquetoken.";

	private static final String STALE_HEADER = "X-Token-Introspection-Stale";

	private static final AuthorizationServerStub authorizationServer = new AuthorizationServerStub();

	private static final HttpClient httpClient = HttpClient.newHttpClient();

	@AfterAll
	static void stopAuthorizationServer() {
		authorizationServer.close();
	}

	static void register(DynamicPropertyRegistry registry) {
		registry.add(OPAQUETOKEN + "introspection-uri", authorizationServer::url);
		registry.add(OPAQUETOKEN + "client-id", () -> "notes-api");
		registry.add(OPAQUETOKEN + "client-secret", () -> "s3cret");
		// One attempt per request and no breaker: each request below reaches the stub once.
		registry.add("token-introspection.resilience.retry.enabled", () -> "false");
		registry.add("token-introspection.resilience.circuit-breaker.enabled", () -> "false");
	}

	@Nested
	@SpringBootTest(classes = { NotesApplications.Reactive.class, StaleListener.class },
			webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = { "spring.main.web-application-type=reactive",
					"token-introspection.resilience.stale-if-error.enabled=true" })
	class StaleIfErrorEnabled {

		@LocalServerPort
		int port;

		@Autowired
		IntrospectionCacheControl cacheControl;

		@Autowired
		StaleListener staleListener;

		@DynamicPropertySource
		static void properties(DynamicPropertyRegistry registry) {
			register(registry);
		}

		@BeforeEach
		void healthy() {
			authorizationServer.healthy();
			this.staleListener.used.clear();
		}

		@Test
		void getWhenValidatedBeforeTheOutageThenAcceptedStaleWithHeader() {
			HttpResponse<String> fresh = get(this.port, "validated-token");
			assertThat(fresh.statusCode()).isEqualTo(200);
			assertThat(fresh.headers().firstValue(STALE_HEADER)).isEmpty();
			// Out of the cache, so that the next request has to ask the failing server.
			this.cacheControl.evict("validated-token");
			authorizationServer.answer(json(500, "{\"error\":\"server_error\"}"));

			HttpResponse<String> stale = get(this.port, "validated-token");

			assertThat(stale.statusCode()).isEqualTo(200);
			assertThat(stale.body()).isEqualTo("notes of alice");
			assertThat(stale.headers().firstValue(STALE_HEADER))
				.hasValueSatisfying((age) -> assertThat(Long.parseLong(age)).isBetween(0L, 60L));
			assertThat(authorizationServer.calls("validated-token")).isEqualTo(2);
			assertThat(this.staleListener.used).singleElement()
				.satisfies((token) -> assertThat(token.getClaims()).containsEntry("sub", "alice"));
		}

		@Test
		void getWhenConnectionRefusedThenValidatedTokenAcceptedStale() {
			assertThat(get(this.port, "refused-validated-token").statusCode()).isEqualTo(200);
			this.cacheControl.evict("refused-validated-token");
			authorizationServer.refuseConnections();

			HttpResponse<String> stale = get(this.port, "refused-validated-token");

			assertThat(stale.statusCode()).isEqualTo(200);
			assertThat(stale.headers().firstValue(STALE_HEADER)).isPresent();
		}

		@Test
		void getWhenNeverValidatedThen503() {
			authorizationServer.answer(json(500, "{\"error\":\"server_error\"}"));

			HttpResponse<String> response = get(this.port, "unknown-token");

			assertThat(response.statusCode()).isEqualTo(503);
			assertThat(response.headers().firstValue(STALE_HEADER)).isEmpty();
			assertThat(this.staleListener.used).isEmpty();
		}

		@Test
		void getWhenServerCalledTheTokenInactiveSinceThenNotServedStale() {
			assertThat(get(this.port, "revoked-token").statusCode()).isEqualTo(200);
			this.cacheControl.evict("revoked-token");
			authorizationServer.answer(json(200, "{\"active\":false}"));
			assertThat(get(this.port, "revoked-token").statusCode()).isEqualTo(401);
			// Out of the negative cache too: the outage has to be what answers.
			this.cacheControl.evict("revoked-token");
			authorizationServer.answer(json(500, "{\"error\":\"server_error\"}"));

			HttpResponse<String> response = get(this.port, "revoked-token");

			assertThat(response.statusCode()).isEqualTo(503);
			assertThat(response.headers().firstValue(STALE_HEADER)).isEmpty();
			assertThat(authorizationServer.calls("revoked-token")).isEqualTo(3);
			assertThat(this.staleListener.used).isEmpty();
		}

	}

	@Nested
	@SpringBootTest(classes = NotesApplications.Reactive.class,
			webEnvironment = WebEnvironment.RANDOM_PORT, properties = "spring.main.web-application-type=reactive")
	class StaleIfErrorByDefault {

		@LocalServerPort
		int port;

		@Autowired
		IntrospectionCacheControl cacheControl;

		@DynamicPropertySource
		static void properties(DynamicPropertyRegistry registry) {
			register(registry);
		}

		@Test
		void getWhenValidatedBeforeTheOutageThen503() {
			authorizationServer.healthy();
			assertThat(get(this.port, "unprotected-token").statusCode()).isEqualTo(200);
			this.cacheControl.evict("unprotected-token");
			authorizationServer.answer(json(500, "{\"error\":\"server_error\"}"));

			HttpResponse<String> response = get(this.port, "unprotected-token");

			assertThat(response.statusCode()).isEqualTo(503);
			assertThat(response.headers().firstValue(STALE_HEADER)).isEmpty();
			assertThat(authorizationServer.calls("unprotected-token")).isEqualTo(2);
		}

	}

	static HttpResponse<String> get(int port, String token) {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/notes"))
			.header("Authorization", "Bearer " + token)
			.GET()
			.build();
		return httpClient.sendAsync(request, HttpResponse.BodyHandlers.ofString()).join();
	}

	/** Records every stale result used, as an application's metric would. */
	@Configuration(proxyBeanMethods = false)
	static class StaleListener {

		final List<IntrospectedToken> used = new CopyOnWriteArrayList<>();

		@Bean
		StaleResultListener recordingStaleResultListener() {
			return (IntrospectedToken token, Duration age, OAuth2IntrospectionException failure) -> this.used
				.add(token);
		}

	}

}
