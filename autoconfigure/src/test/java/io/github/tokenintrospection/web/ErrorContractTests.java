package io.github.tokenintrospection.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTTP contract of a resource server using the starter, on a real embedded server: 401
 * for bad tokens, 403 for missing authorities, 503 (never 500) when the authorization server
 * cannot answer, with Spring Boot's default security filter chain and with an application's
 * own.
 */
class ErrorContractTests {

	private static final String OPAQUETOKEN = "spring.security.oauth2.resourceserver.opaquetoken.";

	private static final MockWebServer authorizationServer = startAuthorizationServer();

	private static final int closedPort = unusedPort();

	private static final HttpClient httpClient = HttpClient.newHttpClient();

	@AfterAll
	static void stopAuthorizationServer() {
		authorizationServer.close();
	}

	@Nested
	@SpringBootTest(classes = NotesApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
	class DefaultSecurityFilterChain {

		@LocalServerPort
		int port;

		@DynamicPropertySource
		static void introspection(DynamicPropertyRegistry registry) {
			registerIntrospection(registry, authorizationServer.url("/introspect").toString());
		}

		@Test
		void getWhenActiveTokenWithScopeThen200() {
			HttpResponse<String> response = get(this.port, "read-token");

			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(response.body()).isEqualTo("notes of alice");
		}

		@Test
		void getWhenActiveTokenWithoutScopeThen403() {
			assertThat(get(this.port, "write-token").statusCode()).isEqualTo(403);
		}

		@Test
		void getWhenInactiveTokenThen401InvalidToken() {
			HttpResponse<String> response = get(this.port, "inactive-token");

			assertThat(response.statusCode()).isEqualTo(401);
			assertThat(response.headers().firstValue("WWW-Authenticate"))
				.hasValueSatisfying((value) -> assertThat(value).contains("Bearer error=\"invalid_token\""));
		}

		@Test
		void getWhenTokenFailsValidationThen401InvalidToken() {
			HttpResponse<String> response = get(this.port, "refresh-token");

			assertThat(response.statusCode()).isEqualTo(401);
			assertThat(response.headers().firstValue("WWW-Authenticate"))
				.hasValueSatisfying((value) -> assertThat(value).contains("Bearer error=\"invalid_token\"")
					.contains("not an access token"));
		}

		@Test
		void getWhenAuthorizationServerAnswers500Then503WithJson() {
			assertServiceUnavailable(get(this.port, "server-error-token"));
		}

		@Test
		void getWhenAuthorizationServerAnswersGarbageThen503WithJson() {
			assertServiceUnavailable(get(this.port, "garbage-token"));
		}

	}

	@Nested
	@SpringBootTest(classes = NotesApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
	class AuthorizationServerDown {

		@LocalServerPort
		int port;

		@DynamicPropertySource
		static void introspection(DynamicPropertyRegistry registry) {
			registerIntrospection(registry, "http://127.0.0.1:" + closedPort + "/introspect");
		}

		@Test
		void getWhenConnectionRefusedThen503WithJson() {
			assertServiceUnavailable(get(this.port, "read-token"));
		}

	}

	@Nested
	@SpringBootTest(classes = OwnSecurityFilterChainApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
	class ApplicationSecurityFilterChain {

		@LocalServerPort
		int port;

		@DynamicPropertySource
		static void introspection(DynamicPropertyRegistry registry) {
			registerIntrospection(registry, authorizationServer.url("/introspect").toString());
		}

		@Test
		void getWhenActiveTokenWithScopeThen200() {
			assertThat(get(this.port, "read-token").statusCode()).isEqualTo(200);
		}

		@Test
		void getWhenInactiveTokenThen401() {
			assertThat(get(this.port, "inactive-token").statusCode()).isEqualTo(401);
		}

		@Test
		void getWhenAuthorizationServerAnswers500Then503WithJson() {
			assertServiceUnavailable(get(this.port, "server-error-token"));
		}

	}

	private static void registerIntrospection(DynamicPropertyRegistry registry, String uri) {
		registry.add(OPAQUETOKEN + "introspection-uri", () -> uri);
		registry.add(OPAQUETOKEN + "client-id", () -> "notes-api");
		registry.add(OPAQUETOKEN + "client-secret", () -> "s3cret");
	}

	private static void assertServiceUnavailable(HttpResponse<String> response) {
		assertThat(response.statusCode()).isEqualTo(503);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
		assertThat(response.body()).contains("\"error\":\"temporarily_unavailable\"");
	}

	private static HttpResponse<String> get(int port, String token) {
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

	private static MockWebServer startAuthorizationServer() {
		MockWebServer server = new MockWebServer();
		server.setDispatcher(new AuthorizationServerDispatcher());
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
	 * Answers by token, so that tests neither depend on their order nor on the cache.
	 */
	static class AuthorizationServerDispatcher extends Dispatcher {

		private static final String ACTIVE = "{\"active\":true,\"sub\":\"alice\",\"exp\":4102444800,"
				+ "\"token_type\":\"%s\",\"scope\":\"%s\"}";

		@Override
		public MockResponse dispatch(RecordedRequest request) {
			String token = token(request);
			return switch (token) {
				case "read-token" -> json(200, ACTIVE.formatted("Bearer", "read"));
				case "write-token" -> json(200, ACTIVE.formatted("Bearer", "write"));
				case "refresh-token" -> json(200, ACTIVE.formatted("Refresh", "read"));
				case "server-error-token" -> json(500, "{\"error\":\"server_error\"}");
				case "garbage-token" -> json(200, "<html>maintenance</html>");
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

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@EnableMethodSecurity
	@Import(NotesController.class)
	static class NotesApplication {

	}

	@Configuration(proxyBeanMethods = false)
	@Import(NotesApplication.class)
	static class OwnSecurityFilterChainApplication {

		@Bean
		SecurityFilterChain applicationSecurityFilterChain(HttpSecurity http) throws Exception {
			http.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated())
				.oauth2ResourceServer((resourceServer) -> resourceServer.opaqueToken(Customizer.withDefaults()));
			return http.build();
		}

	}

	@RestController
	static class NotesController {

		@GetMapping("/notes")
		@PreAuthorize("hasAuthority('SCOPE_read')")
		String notes(java.security.Principal principal) {
			return "notes of " + principal.getName();
		}

	}

}
