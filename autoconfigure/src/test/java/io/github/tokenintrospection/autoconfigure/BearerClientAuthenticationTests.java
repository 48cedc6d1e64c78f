package io.github.tokenintrospection.autoconfigure;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;

import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerAutoConfiguration;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.web.OAuth2ResourceServerWebSecurityAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.security.oauth2.server.resource.introspection.BadOpaqueTokenException;
import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionException;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;

import static io.github.tokenintrospection.autoconfigure.IssuerDiscoveryAutoConfigurationTests.assertInvalidProperty;
import static io.github.tokenintrospection.autoconfigure.IssuerDiscoveryAutoConfigurationTests.formValue;
import static io.github.tokenintrospection.autoconfigure.IssuerDiscoveryAutoConfigurationTests.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@code client-authentication-method=bearer} through the auto-configuration: the resource
 * server's own access token, static or obtained with the client_credentials grant, protects
 * its introspection requests.
 */
class BearerClientAuthenticationTests {

	private static final String OPAQUETOKEN = "spring.security.oauth2.resourceserver.opaquetoken.";

	private static final String BASIC = "Basic "
			+ Base64.getEncoder().encodeToString("notes-api:s3cret".getBytes(StandardCharsets.UTF_8));

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TokenIntrospectionAutoConfiguration.class,
				OAuth2ResourceServerAutoConfiguration.class, OAuth2ResourceServerWebSecurityAutoConfiguration.class,
				SecurityAutoConfiguration.class, ServletWebSecurityAutoConfiguration.class));

	private final MockWebServer server = new MockWebServer();

	private final AuthorizationServer authorizationServer = new AuthorizationServer();

	@BeforeEach
	void startServer() throws IOException {
		this.server.setDispatcher(this.authorizationServer);
		this.server.start();
	}

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	@Test
	void introspectWhenBearerWithTokenUriThenOneClientCredentialsTokenProtectsAllIntrospections() {
		this.authorizationServer.requiredBearer = "rs-token";
		this.contextRunner.withPropertyValues(introspection())
			.withPropertyValues(OPAQUETOKEN + "client-id=notes-api", OPAQUETOKEN + "client-secret=s3cret",
					"token-introspection.client-authentication-method=bearer",
					"token-introspection.bearer.token-uri=" + this.server.url("/token"),
					"token-introspection.bearer.scope=introspection")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(this.authorizationServer.tokenRequests).hasValue(0);
				OpaqueTokenIntrospector introspector = context.getBean(OpaqueTokenIntrospector.class);

				assertThat(introspector.introspect("token-a").getName()).isEqualTo("alice");
				assertThat(introspector.introspect("token-b").getName()).isEqualTo("alice");

				assertThat(this.authorizationServer.tokenRequests).hasValue(1);
				assertThat(this.authorizationServer.lastTokenScope).isEqualTo("introspection");
				assertThat(this.authorizationServer.acceptedIntrospections).hasValue(2);
				assertThat(this.authorizationServer.rejectedIntrospections).hasValue(0);
			});
	}

	@Test
	void introspectWhenBearerWithStaticTokenThenSentAsIsAndNoTokenRequest() {
		this.authorizationServer.requiredBearer = "static-value";
		this.contextRunner.withPropertyValues(introspection())
			.withPropertyValues("token-introspection.client-authentication-method=bearer",
					"token-introspection.bearer.token=static-value")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				OpaqueTokenIntrospector introspector = context.getBean(OpaqueTokenIntrospector.class);

				assertThat(introspector.introspect("token-a").getName()).isEqualTo("alice");
				assertThat(introspector.introspect("token-b").getName()).isEqualTo("alice");

				assertThat(this.authorizationServer.tokenRequests).hasValue(0);
				assertThat(this.authorizationServer.acceptedIntrospections).hasValue(2);
			});
	}

	@Test
	void introspectWhenTokenEndpointRejectsClientThenServerFaultNotInactiveToken() {
		this.authorizationServer.requiredBearer = "rs-token";
		this.contextRunner.withPropertyValues(introspection())
			.withPropertyValues(OPAQUETOKEN + "client-id=notes-api", OPAQUETOKEN + "client-secret=wrong",
					"token-introspection.client-authentication-method=bearer",
					"token-introspection.bearer.token-uri=" + this.server.url("/token"))
			.run((context) -> {
				OpaqueTokenIntrospector introspector = context.getBean(OpaqueTokenIntrospector.class);
				assertThatExceptionOfType(OAuth2IntrospectionException.class)
					.isThrownBy(() -> introspector.introspect("token-a"))
					.isNotInstanceOf(BadOpaqueTokenException.class);
				assertThat(this.authorizationServer.tokenRequests).hasValue(1);
				assertThat(this.authorizationServer.acceptedIntrospections).hasValue(0);
				assertThat(this.authorizationServer.rejectedIntrospections).hasValue(0);
			});
	}

	@Test
	void introspectWhenBearerWithIssuerUriAndNoTokenUriThenTokenEndpointDiscovered() {
		String issuer = this.server.url("/realms/a").toString();
		this.authorizationServer.issuer = issuer;
		this.authorizationServer.requiredBearer = "rs-token";
		this.contextRunner
			.withPropertyValues("token-introspection.issuer-uri=" + issuer, OPAQUETOKEN + "client-id=notes-api",
					OPAQUETOKEN + "client-secret=s3cret", "token-introspection.client-authentication-method=bearer")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(this.server.getRequestCount()).isZero();

				assertThat(context.getBean(OpaqueTokenIntrospector.class).introspect("token-a").getName())
					.isEqualTo("alice");

				assertThat(this.authorizationServer.tokenRequests).hasValue(1);
				assertThat(this.authorizationServer.acceptedIntrospections).hasValue(1);
			});
	}

	@Test
	void startupWhenBearerWithoutTokenTokenUriOrIssuerUriThenFailsNamingTokenUri() {
		this.contextRunner.withPropertyValues(introspection())
			.withPropertyValues(OPAQUETOKEN + "client-id=notes-api", OPAQUETOKEN + "client-secret=s3cret",
					"token-introspection.client-authentication-method=bearer")
			.run((context) -> assertInvalidProperty(context, "token-introspection.bearer.token-uri"));
	}

	@Test
	void startupWhenBearerTokenUriIsPlainHttpToRemoteHostThenFailsNamingIt() {
		this.contextRunner.withPropertyValues(introspection())
			.withPropertyValues(OPAQUETOKEN + "client-id=notes-api", OPAQUETOKEN + "client-secret=s3cret",
					"token-introspection.client-authentication-method=bearer",
					"token-introspection.bearer.token-uri=http://idp.example/token")
			.run((context) -> assertInvalidProperty(context, "token-introspection.bearer.token-uri",
					"token-introspection.allow-insecure-http"));
	}

	private String[] introspection() {
		return new String[] { OPAQUETOKEN + "introspection-uri=" + this.server.url("/introspect") };
	}

	/**
	 * A token endpoint that issues {@code rs-token} to notes-api:s3cret, and an introspection
	 * endpoint that answers 401 unless called with the required bearer token. When an issuer
	 * is set, it also serves that issuer's RFC 8414 metadata.
	 */
	static final class AuthorizationServer extends Dispatcher {

		final AtomicInteger tokenRequests = new AtomicInteger();

		final AtomicInteger acceptedIntrospections = new AtomicInteger();

		final AtomicInteger rejectedIntrospections = new AtomicInteger();

		volatile String requiredBearer;

		volatile String issuer;

		volatile String lastTokenScope;

		@Override
		public MockResponse dispatch(RecordedRequest request) {
			String path = request.getUrl().encodedPath();
			String authorization = request.getHeaders().get("Authorization");
			if ("GET".equals(request.getMethod()) && this.issuer != null
					&& path.equals("/.well-known/oauth-authorization-server/realms/a")) {
				return json(200, "{\"issuer\":\"" + this.issuer + "\",\"token_endpoint\":\"" + this.issuer
						+ "/token\",\"introspection_endpoint\":\"" + this.issuer + "/introspect\"}");
			}
			if (!"POST".equals(request.getMethod())) {
				return json(404, "{}");
			}
			String body = request.getBody().utf8();
			if (path.endsWith("/token")) {
				this.tokenRequests.incrementAndGet();
				if (!BASIC.equals(authorization)) {
					return json(401, "{\"error\":\"invalid_client\"}");
				}
				if (!"client_credentials".equals(formValue(body, "grant_type"))) {
					return json(400, "{\"error\":\"unsupported_grant_type\"}");
				}
				this.lastTokenScope = formValue(body, "scope");
				return json(200, "{\"access_token\":\"rs-token\",\"token_type\":\"Bearer\",\"expires_in\":300}");
			}
			if (path.endsWith("/introspect")) {
				if (!("Bearer " + this.requiredBearer).equals(authorization)) {
					this.rejectedIntrospections.incrementAndGet();
					return json(401, "{\"error\":\"invalid_token\"}");
				}
				this.acceptedIntrospections.incrementAndGet();
				String iss = (this.issuer != null) ? ",\"iss\":\"" + this.issuer + "\"" : "";
				return json(200, "{\"active\":true,\"sub\":\"alice\",\"token_type\":\"Bearer\",\"exp\":4102444800"
						+ iss + "}");
			}
			return json(404, "{}");
		}

	}

}
