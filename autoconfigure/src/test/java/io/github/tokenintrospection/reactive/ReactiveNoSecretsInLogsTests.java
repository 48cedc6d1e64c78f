package io.github.tokenintrospection.reactive;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import io.github.tokenintrospection.contract.NotesApplications;
import io.github.tokenintrospection.testsupport.AuthorizationServerStub;
import io.github.tokenintrospection.testsupport.SecretsInOutput;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.reactive.function.client.WebClient;

import static io.github.tokenintrospection.testsupport.AuthorizationServerStub.json;
import static io.github.tokenintrospection.testsupport.SecretsInOutput.newToken;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reactive twin of {@code web.NoSecretsInLogsTests}: a WebFlux application on Netty
 * with the root logger at TRACE (WebClient, Reactor Netty, Spring Security and the
 * starter's own loggers included) goes through success, rejection, server faults and
 * stale-if-error with {@code client_secret_post} and {@code client_secret_basic}, and no
 * token and no client secret appears in the output: not raw, not URL-encoded, not
 * Base64-encoded.
 */
@ExtendWith(OutputCaptureExtension.class)
class ReactiveNoSecretsInLogsTests {

	private static final String OPAQUETOKEN = "spring.security.oauth2.resourceserver.opaquetoken.";

	private static final String CLIENT_SECRET = "Cl1entS3cretNeverLoggedReactive";

	private static final AuthorizationServerStub authorizationServer = new AuthorizationServerStub();

	private static final HttpClient httpClient = HttpClient.newHttpClient();

	@AfterAll
	static void stopAuthorizationServer() {
		authorizationServer.close();
	}

	static void register(DynamicPropertyRegistry registry, String clientAuthenticationMethod) {
		registry.add(OPAQUETOKEN + "introspection-uri", authorizationServer::url);
		registry.add(OPAQUETOKEN + "client-id", () -> "notes-api");
		registry.add(OPAQUETOKEN + "client-secret", () -> CLIENT_SECRET);
		registry.add("token-introspection.client-authentication-method", () -> clientAuthenticationMethod);
		registry.add("token-introspection.resilience.stale-if-error.enabled", () -> "true");
		registry.add("token-introspection.cache.enabled", () -> "false");
		registry.add("token-introspection.resilience.circuit-breaker.enabled", () -> "false");
	}

	/** The scenarios and their check; each subclass is one application and one client authentication. */
	abstract class Scenarios {

		@LocalServerPort
		int port;

		@Test
		void scenariosWhenRootLoggerAtTraceThenNoTokenOrSecretInOutput(CapturedOutput output) {
			assertNoneLogged(output, runScenarios(this.port));
		}

	}

	@Nested
	@SpringBootTest(classes = NotesApplications.Reactive.class,
			webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = { "spring.main.web-application-type=reactive", "logging.level.root=TRACE" })
	class ClientSecretPost extends Scenarios {

		@DynamicPropertySource
		static void properties(DynamicPropertyRegistry registry) {
			register(registry, "client_secret_post");
		}

	}

	@Nested
	@SpringBootTest(classes = NotesApplications.Reactive.class,
			webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = { "spring.main.web-application-type=reactive", "logging.level.root=TRACE" })
	class ClientSecretBasic extends Scenarios {

		@DynamicPropertySource
		static void properties(DynamicPropertyRegistry registry) {
			register(registry, "client_secret_basic");
		}

	}

	@Nested
	@SpringBootTest(
			classes = { NotesApplications.Reactive.class, DetailedLoggingWebClient.class },
			webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = { "spring.main.web-application-type=reactive", "logging.level.root=TRACE" })
	class ClientSecretBasicWithRequestDetailsLogged extends Scenarios {

		@DynamicPropertySource
		static void properties(DynamicPropertyRegistry registry) {
			register(registry, "client_secret_basic");
		}

	}

	/**
	 * An application's {@code WebClient.Builder} that logs request details (headers and form
	 * values), as {@code spring.codec.log-request-details=true} makes Spring Boot's.
	 */
	@Configuration(proxyBeanMethods = false)
	static class DetailedLoggingWebClient {

		@Bean
		WebClient.Builder webClientBuilder() {
			return WebClient.builder().codecs((codecs) -> codecs.defaultCodecs().enableLoggingRequestDetails(true));
		}

	}

	/** Accepted, inactive, rejected by a claim check, too long, server faults, stale. */
	static List<String> runScenarios(int port) {
		List<String> tokens = new ArrayList<>();
		authorizationServer.healthy();
		String valid = newToken(tokens, "Valid");
		assertThat(get(port, valid).statusCode()).isEqualTo(200);
		assertThat(get(port, newToken(tokens, "inactive") + "Revoked").statusCode()).isEqualTo(401);
		assertThat(get(port, newToken(tokens, "TooLong") + "x".repeat(4096)).statusCode()).isEqualTo(401);
		authorizationServer.answer(json(200, "{\"active\":true,\"scope\":\"read\",\"token_type\":\"Refresh\"}"));
		assertThat(get(port, newToken(tokens, "Refresh")).statusCode()).isEqualTo(401);
		authorizationServer.answer(json(500, "{\"error\":\"server_error\"}"));
		assertThat(get(port, newToken(tokens, "Fault")).statusCode()).isEqualTo(503);
		// The token validated first is answered stale.
		assertThat(get(port, valid).statusCode()).isEqualTo(200);
		authorizationServer.answer(json(200, "{\"active\":tr"));
		assertThat(get(port, newToken(tokens, "Garbage")).statusCode()).isEqualTo(503);
		authorizationServer.refuseConnections();
		assertThat(get(port, newToken(tokens, "Refused")).statusCode()).isEqualTo(503);
		authorizationServer.healthy();
		return tokens;
	}

	static void assertNoneLogged(CapturedOutput output, List<String> tokens) {
		String logged = output.getAll();
		// The output is real: the scenarios ran at TRACE and reached WebClient, which logs
		// each request and its form body at DEBUG.
		assertThat(logged).contains(" TRACE ")
			.contains("Token introspection failed, answering 503")
			.contains("HTTP POST " + authorizationServer.url())
			.contains("form fields");
		SecretsInOutput.assertNoneLogged(logged, tokens, "notes-api", CLIENT_SECRET);
	}

	private static HttpResponse<String> get(int port, String token) {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/notes"))
			.header("Authorization", "Bearer " + token)
			.GET()
			.build();
		return httpClient.sendAsync(request, HttpResponse.BodyHandlers.ofString()).join();
	}

}
