package io.github.tokenintrospection.autoconfigure;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.tokenintrospection.client.RestClientIntrospectionClient;
import io.github.tokenintrospection.internal.introspector.ValidatingOpaqueTokenIntrospector;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerAutoConfiguration;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.web.OAuth2ResourceServerWebSecurityAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.security.oauth2.core.OAuth2AuthenticatedPrincipal;
import org.springframework.security.oauth2.server.resource.introspection.BadOpaqueTokenException;
import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionException;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The introspection endpoint discovered from {@code token-introspection.issuer-uri}, and
 * the start-up checks of the configured endpoint URIs.
 */
class IssuerDiscoveryAutoConfigurationTests {

	private static final String OPAQUETOKEN = "spring.security.oauth2.resourceserver.opaquetoken.";

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TokenIntrospectionAutoConfiguration.class,
				OAuth2ResourceServerAutoConfiguration.class, OAuth2ResourceServerWebSecurityAutoConfiguration.class,
				SecurityAutoConfiguration.class, ServletWebSecurityAutoConfiguration.class));

	private final MockWebServer server = new MockWebServer();

	private final AuthorizationServer authorizationServer = new AuthorizationServer();

	private String issuer;

	@BeforeEach
	void startServer() throws IOException {
		this.server.setDispatcher(this.authorizationServer);
		this.server.start();
		this.issuer = this.server.url("/realms/a").toString();
	}

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	@Test
	void introspectorWhenOnlyIssuerUriSetThenStartsWithoutContactingServer() {
		this.contextRunner.withPropertyValues(issuerOnly()).run((context) -> {
			assertThat(context).hasNotFailed()
				.hasSingleBean(ValidatingOpaqueTokenIntrospector.class)
				.hasSingleBean(RestClientIntrospectionClient.class);
			assertThat(context.getBean(OpaqueTokenIntrospector.class))
				.isInstanceOf(ValidatingOpaqueTokenIntrospector.class);
			assertThat(this.server.getRequestCount()).isZero();
		});
	}

	@Test
	void introspectWhenOnlyIssuerUriSetThenMetadataFetchedAndDiscoveredEndpointUsed() {
		this.contextRunner.withPropertyValues(issuerOnly()).run((context) -> {
			OAuth2AuthenticatedPrincipal principal = context.getBean(OpaqueTokenIntrospector.class)
				.introspect("good-token");

			assertThat(principal.getName()).isEqualTo("alice");
			assertThat(this.authorizationServer.requests).containsExactly(
					"GET /.well-known/oauth-authorization-server/realms/a",
					"POST /realms/a/protocol/openid-connect/token/introspect token=good-token");
		});
	}

	@Test
	void introspectWhenCalledAgainThenMetadataNotFetchedAgain() {
		this.contextRunner.withPropertyValues(issuerOnly()).run((context) -> {
			OpaqueTokenIntrospector introspector = context.getBean(OpaqueTokenIntrospector.class);
			introspector.introspect("good-token");
			introspector.introspect("other-good-token");

			assertThat(this.authorizationServer.requests).filteredOn((request) -> request.startsWith("GET")).hasSize(1);
			assertThat(this.authorizationServer.requests).filteredOn((request) -> request.startsWith("POST"))
				.hasSize(2);
		});
	}

	@Test
	void introspectWhenTokenFromAnotherIssuerThenRejectedByDefault() {
		this.contextRunner.withPropertyValues(issuerOnly())
			.run((context) -> assertThatExceptionOfType(BadOpaqueTokenException.class)
				.isThrownBy(() -> context.getBean(OpaqueTokenIntrospector.class).introspect("foreign-token"))
				.withMessageContaining("issuer")
				.withMessageContaining("https://other.example/realms/a"));
	}

	@Test
	void introspectWhenAllowedIssuersConfiguredThenTheyReplaceTheDiscoveredIssuer() {
		this.contextRunner.withPropertyValues(issuerOnly())
			.withPropertyValues("token-introspection.validation.allowed-issuers=https://other.example/realms/a")
			.run((context) -> {
				OpaqueTokenIntrospector introspector = context.getBean(OpaqueTokenIntrospector.class);
				assertThat(introspector.introspect("foreign-token").getName()).isEqualTo("mallory");
				assertThatExceptionOfType(BadOpaqueTokenException.class)
					.isThrownBy(() -> introspector.introspect("good-token"))
					.withMessageContaining("issuer");
			});
	}

	@Test
	void introspectWhenMetadataCannotBeFetchedThenServerFaultAndLaterCallsRetry() {
		this.authorizationServer.metadataAvailable = false;
		this.contextRunner.withPropertyValues(issuerOnly()).run((context) -> {
			assertThat(context).hasNotFailed();
			OpaqueTokenIntrospector introspector = context.getBean(OpaqueTokenIntrospector.class);
			assertThatExceptionOfType(OAuth2IntrospectionException.class)
				.isThrownBy(() -> introspector.introspect("good-token"))
				.isNotInstanceOf(BadOpaqueTokenException.class);

			this.authorizationServer.metadataAvailable = true;

			assertThat(introspector.introspect("good-token").getName()).isEqualTo("alice");
		});
	}

	@Test
	void introspectWhenDiscoveredMethodsExcludeConfiguredOneThenServerFaultNamingMethod() {
		this.contextRunner.withPropertyValues(issuerOnly())
			.withPropertyValues("token-introspection.client-authentication-method=client-secret-post")
			.run((context) -> assertThatExceptionOfType(OAuth2IntrospectionException.class)
				.isThrownBy(() -> context.getBean(OpaqueTokenIntrospector.class).introspect("good-token"))
				.withMessageContaining("client_secret_post")
				.withMessageContaining("client_secret_basic"));
	}

	@Test
	void startupWhenIntrospectionUriIsPlainHttpToRemoteHostThenFailsNamingProperty() {
		this.contextRunner
			.withPropertyValues(OPAQUETOKEN + "introspection-uri=http://idp.example/introspect",
					OPAQUETOKEN + "client-id=notes-api", OPAQUETOKEN + "client-secret=s3cret")
			.run((context) -> assertInvalidProperty(context, OPAQUETOKEN + "introspection-uri",
					"token-introspection.allow-insecure-http"));
	}

	@Test
	void startupWhenIntrospectionUriIsPlainHttpAndInsecureHttpAllowedThenStarts() {
		this.contextRunner
			.withPropertyValues(OPAQUETOKEN + "introspection-uri=http://idp.example/introspect",
					OPAQUETOKEN + "client-id=notes-api", OPAQUETOKEN + "client-secret=s3cret",
					"token-introspection.allow-insecure-http=true")
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(ValidatingOpaqueTokenIntrospector.class));
	}

	@Test
	void startupWhenIssuerUriIsPlainHttpToRemoteHostThenFailsNamingProperty() {
		this.contextRunner
			.withPropertyValues("token-introspection.issuer-uri=http://idp.example/realms/a",
					OPAQUETOKEN + "client-id=notes-api", OPAQUETOKEN + "client-secret=s3cret")
			.run((context) -> assertInvalidProperty(context, "token-introspection.issuer-uri",
					"token-introspection.allow-insecure-http"));
	}

	@Test
	void startupWhenIssuerUriIsNotAUriThenFailsNamingProperty() {
		this.contextRunner
			.withPropertyValues("token-introspection.issuer-uri=https://idp example/realms/a",
					OPAQUETOKEN + "client-id=notes-api", OPAQUETOKEN + "client-secret=s3cret")
			.run((context) -> assertInvalidProperty(context, "token-introspection.issuer-uri", "not a valid URI"));
	}

	static void assertInvalidProperty(AssertableWebApplicationContext context, String property, String... mentions) {
		assertThat(context).hasFailed();
		Throwable failure = context.getStartupFailure();
		InvalidConfigurationPropertyValueException invalid = null;
		StringBuilder messages = new StringBuilder();
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			messages.append(cause.getMessage()).append('\n');
			if (cause instanceof InvalidConfigurationPropertyValueException ex) {
				invalid = ex;
			}
		}
		assertThat(invalid).as("cause of %s", failure).isNotNull();
		assertThat(invalid.getName()).isEqualTo(property);
		assertThat(invalid.getMessage()).contains(property);
		for (String mention : mentions) {
			assertThat(invalid.getMessage()).contains(mention);
		}
		assertThat(messages.toString()).contains(property);
	}

	private String[] issuerOnly() {
		return new String[] { "token-introspection.issuer-uri=" + this.issuer, OPAQUETOKEN + "client-id=notes-api",
				OPAQUETOKEN + "client-secret=s3cret" };
	}

	/**
	 * Serves RFC 8414 metadata for {@code /realms/a} and its introspection endpoint,
	 * which answers by token.
	 */
	final class AuthorizationServer extends Dispatcher {

		final List<String> requests = new CopyOnWriteArrayList<>();

		volatile boolean metadataAvailable = true;

		@Override
		public MockResponse dispatch(RecordedRequest request) {
			String target = request.getTarget();
			if ("GET".equals(request.getMethod())) {
				this.requests.add("GET " + target);
				if (this.metadataAvailable && target.equals("/.well-known/oauth-authorization-server/realms/a")) {
					String issuer = IssuerDiscoveryAutoConfigurationTests.this.issuer;
					return json(200, "{\"issuer\":\"" + issuer + "\",\"token_endpoint\":\"" + issuer
							+ "/protocol/openid-connect/token\",\"introspection_endpoint\":\"" + issuer
							+ "/protocol/openid-connect/token/introspect\","
							+ "\"introspection_endpoint_auth_methods_supported\":[\"client_secret_basic\",\"private_key_jwt\"]}");
				}
				return json(this.metadataAvailable ? 404 : 503, "{}");
			}
			String token = formValue(request.getBody().utf8(), "token");
			this.requests.add("POST " + target + " token=" + token);
			if (!target.equals("/realms/a/protocol/openid-connect/token/introspect")) {
				return json(404, "{}");
			}
			String issuer = IssuerDiscoveryAutoConfigurationTests.this.issuer;
			return switch (token) {
				case "good-token", "other-good-token" -> json(200, active("alice", issuer));
				case "foreign-token" -> json(200, active("mallory", "https://other.example/realms/a"));
				default -> json(200, "{\"active\":false}");
			};
		}

		private static String active(String subject, String issuer) {
			return "{\"active\":true,\"sub\":\"" + subject + "\",\"iss\":\"" + issuer
					+ "\",\"token_type\":\"Bearer\",\"exp\":4102444800}";
		}

	}

	static String formValue(String body, String name) {
		for (String pair : body.split("&")) {
			String[] parts = pair.split("=", 2);
			if (URLDecoder.decode(parts[0], StandardCharsets.UTF_8).equals(name)) {
				return URLDecoder.decode(parts.length > 1 ? parts[1] : "", StandardCharsets.UTF_8);
			}
		}
		return null;
	}

	static MockResponse json(int code, String body) {
		return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(body).build();
	}

}
