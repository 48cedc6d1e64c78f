package io.github.tokenintrospection.autoconfigure;

import java.io.IOException;

import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerAutoConfiguration;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.web.OAuth2ResourceServerWebSecurityAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import static io.github.tokenintrospection.autoconfigure.IssuerDiscoveryAutoConfigurationTests.assertInvalidProperty;

/**
 * {@code client-authentication-method=bearer} through the auto-configuration: the
 * start-up failures that name the missing or wrong property. What is sent, on each stack:
 * {@code contract.ClientAuthenticationTests}.
 */
class BearerClientAuthenticationTests {

	private static final String OPAQUETOKEN = "spring.security.oauth2.resourceserver.opaquetoken.";

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TokenIntrospectionAutoConfiguration.class,
				OAuth2ResourceServerAutoConfiguration.class, OAuth2ResourceServerWebSecurityAutoConfiguration.class,
				SecurityAutoConfiguration.class, ServletWebSecurityAutoConfiguration.class));

	private final MockWebServer server = new MockWebServer();

	@BeforeEach
	void startServer() throws IOException {
		this.server.start();
	}

	@AfterEach
	void stopServer() {
		this.server.close();
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

}
