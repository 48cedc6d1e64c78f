package io.github.tokenintrospection.autoconfigure;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import io.github.tokenintrospection.internal.introspector.ValidatingOpaqueTokenIntrospector;
import io.github.tokenintrospection.internal.jwt.TestIssuer;
import io.github.tokenintrospection.reactive.WebClientIntrospectionClient;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerAutoConfiguration;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerProperties;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.server.resource.introspection.BadOpaqueTokenException;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;
import org.springframework.security.oauth2.server.resource.introspection.ReactiveOpaqueTokenIntrospector;

import static io.github.tokenintrospection.autoconfigure.IssuerDiscoveryAutoConfigurationTests.assertInvalidProperty;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link TokenIntrospectionConnectionDetails}: a bean of the application (as
 * {@code @ServiceConnection} declares one) wins over the properties and activates the
 * starter without them; without one, the properties are read through
 * {@link PropertiesTokenIntrospectionConnectionDetails}.
 */
class TokenIntrospectionConnectionDetailsTests {

	private static final String OPAQUETOKEN = "spring.security.oauth2.resourceserver.opaquetoken.";

	private static final String ACTIVE = "{\"active\":true,\"sub\":\"alice\",\"iss\":\"%s\"}";

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TokenIntrospectionAutoConfiguration.class,
				OAuth2ResourceServerAutoConfiguration.class));

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
	void propertiesDetailsWhenPropertiesSetThenTheirValues() {
		OAuth2ResourceServerProperties.Opaquetoken opaquetoken = new OAuth2ResourceServerProperties().getOpaquetoken();
		opaquetoken.setIntrospectionUri("https://idp.example/introspect");
		opaquetoken.setClientId("orders-api");
		opaquetoken.setClientSecret("s3cret");
		TokenIntrospectionProperties properties = new TokenIntrospectionProperties();
		properties.setIssuerUri("https://idp.example");

		TokenIntrospectionConnectionDetails details = new PropertiesTokenIntrospectionConnectionDetails(opaquetoken,
				properties);

		assertThat(details.getIntrospectionUri()).isEqualTo("https://idp.example/introspect");
		assertThat(details.getIssuerUri()).isEqualTo("https://idp.example");
		assertThat(details.getClientId()).isEqualTo("orders-api");
		assertThat(details.getClientSecret()).isEqualTo("s3cret");
	}

	@Test
	void propertiesDetailsWhenPropertiesChangeThenReadAtEachCall() {
		OAuth2ResourceServerProperties.Opaquetoken opaquetoken = new OAuth2ResourceServerProperties().getOpaquetoken();
		TokenIntrospectionConnectionDetails details = new PropertiesTokenIntrospectionConnectionDetails(opaquetoken,
				new TokenIntrospectionProperties());
		assertThat(details.getIntrospectionUri()).isNull();
		assertThat(details.getIssuerUri()).isNull();

		opaquetoken.setIntrospectionUri("https://idp.example/introspect");

		assertThat(details.getIntrospectionUri()).isEqualTo("https://idp.example/introspect");
	}

	@Test
	void connectionDetailsWhenNoBeanThenPropertiesBasedOnesFromTheProperties() {
		this.contextRunner
			.withPropertyValues(OPAQUETOKEN + "introspection-uri=" + this.server.url("/introspect"),
					OPAQUETOKEN + "client-id=notes-api", OPAQUETOKEN + "client-secret=s3cret")
			.run((context) -> {
				assertThat(context).hasSingleBean(TokenIntrospectionConnectionDetails.class);
				assertThat(context.getBean(TokenIntrospectionConnectionDetails.class))
					.isInstanceOf(PropertiesTokenIntrospectionConnectionDetails.class);
			});
	}

	@Test
	void connectionDetailsWhenBeanAndPropertiesThenBeanWins() throws InterruptedException {
		enqueueActive(null);
		this.contextRunner
			.withPropertyValues(OPAQUETOKEN + "introspection-uri=https://idp.example/introspect",
					OPAQUETOKEN + "client-id=from-properties", OPAQUETOKEN + "client-secret=property-secret")
			.withBean(TokenIntrospectionConnectionDetails.class,
					() -> new FixedDetails(this.server.url("/introspect").toString(), null, "from-bean", "bean-secret"))
			.run((context) -> {
				assertThat(context).hasSingleBean(TokenIntrospectionConnectionDetails.class)
					.doesNotHaveBean(PropertiesTokenIntrospectionConnectionDetails.class);

				context.getBean(OpaqueTokenIntrospector.class).introspect("token-1");

				RecordedRequest request = this.server.takeRequest();
				assertThat(request.getUrl().encodedPath()).isEqualTo("/introspect");
				assertThat(request.getHeaders().get("Authorization")).isEqualTo(basic("from-bean", "bean-secret"));
			});
	}

	@Test
	void connectionDetailsWhenBeanAndNoPropertiesThenStarterActive() throws InterruptedException {
		enqueueActive(null);
		this.contextRunner
			.withBean(TokenIntrospectionConnectionDetails.class,
					() -> new FixedDetails(this.server.url("/introspect").toString(), null, "from-bean", "bean-secret"))
			.run((context) -> {
				assertThat(context).hasSingleBean(ValidatingOpaqueTokenIntrospector.class);
				assertThat(context.getBean(OpaqueTokenIntrospector.class).introspect("token-1").getName())
					.isEqualTo("alice");
				assertThat(this.server.takeRequest().getHeaders().get("Authorization"))
					.isEqualTo(basic("from-bean", "bean-secret"));
			});
	}

	@Test
	void connectionDetailsWhenReactiveAndBeanThenReactiveStarterActiveWithTheBeansEndpoint() {
		new ReactiveWebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ReactiveTokenIntrospectionAutoConfiguration.class))
			.withBean(TokenIntrospectionConnectionDetails.class,
					() -> new FixedDetails(this.server.url("/introspect").toString(), null, "from-bean", "bean-secret"))
			.run((context) -> assertThat(context).hasSingleBean(ReactiveOpaqueTokenIntrospector.class)
				.hasSingleBean(WebClientIntrospectionClient.class));
	}

	@Test
	void connectionDetailsWhenBeanGivesIssuerThenItIsTheDefaultAllowedIssuer() {
		String issuer = this.server.url("/realms/notes").toString();
		enqueueActive("https://elsewhere.example/realms/notes");
		enqueueActive(issuer);
		this.contextRunner
			.withBean(TokenIntrospectionConnectionDetails.class,
					() -> new FixedDetails(this.server.url("/introspect").toString(), issuer, "from-bean",
							"bean-secret"))
			.run((context) -> {
				OpaqueTokenIntrospector introspector = context.getBean(OpaqueTokenIntrospector.class);
				assertThatExceptionOfType(BadOpaqueTokenException.class)
					.isThrownBy(() -> introspector.introspect("token-1"))
					.withMessageContaining("iss");
				assertThat(introspector.introspect("token-2").getName()).isEqualTo("alice");
			});
	}

	@Test
	void connectionDetailsWhenBeanGivesIssuerThenItsJwtsAreVerifiedLocallyWithoutIssuerProperty() {
		try (TestIssuer issuer = new TestIssuer()) {
			this.contextRunner
				.withBean(TokenIntrospectionConnectionDetails.class,
						() -> new FixedDetails(this.server.url("/introspect").toString(), TestIssuer.ISSUER,
								"from-bean", "bean-secret"))
				.withPropertyValues("token-introspection.jwt.enabled=true",
						"token-introspection.jwt.jwk-set-uri=" + issuer.jwkSetUri())
				.run((context) -> {
					assertThat(context).hasNotFailed();
					OpaqueTokenIntrospector introspector = context.getBean(OpaqueTokenIntrospector.class);

					assertThat(introspector.introspect(issuer.accessToken()).getName()).isEqualTo("alice");
					assertThat(this.server.getRequestCount()).isZero();
				});
		}
	}

	@Test
	void connectionDetailsWhenBeanGivesNoEndpointThenStartupFailsNamingTheBean() {
		this.contextRunner
			.withBean(TokenIntrospectionConnectionDetails.class,
					() -> new FixedDetails(null, null, "from-bean", "bean-secret"))
			.run((context) -> assertInvalidProperty(context, FixedDetails.class.getName() + ".getIntrospectionUri()",
					FixedDetails.class.getName() + ".getIssuerUri()"));
	}

	@Test
	void connectionDetailsWhenBeanGivesNoSecretThenStartupFailsNamingTheBean() {
		this.contextRunner
			.withBean(TokenIntrospectionConnectionDetails.class,
					() -> new FixedDetails(this.server.url("/introspect").toString(), null, "from-bean", null))
			.run((context) -> assertInvalidProperty(context, FixedDetails.class.getName() + ".getClientSecret()"));
	}

	@Test
	void connectionDetailsWhenNeitherPropertiesNorBeanThenMissingEndpointNamesTheProperties() {
		this.contextRunner
			.withPropertyValues(OPAQUETOKEN + "introspection-uri=", OPAQUETOKEN + "client-id=notes-api",
					OPAQUETOKEN + "client-secret=s3cret")
			.run((context) -> assertInvalidProperty(context, OPAQUETOKEN + "introspection-uri",
					"token-introspection.issuer-uri"));
	}

	private void enqueueActive(@Nullable String issuer) {
		String body = (issuer != null) ? ACTIVE.formatted(issuer) : "{\"active\":true,\"sub\":\"alice\"}";
		this.server.enqueue(
				new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json").body(body).build());
	}

	private static String basic(String id, String secret) {
		return "Basic " + Base64.getEncoder().encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8));
	}

	record FixedDetails(@Nullable String introspectionUri, @Nullable String issuerUri, @Nullable String clientId,
			@Nullable String clientSecret) implements TokenIntrospectionConnectionDetails {

		@Override
		public @Nullable String getIntrospectionUri() {
			return this.introspectionUri;
		}

		@Override
		public @Nullable String getIssuerUri() {
			return this.issuerUri;
		}

		@Override
		public @Nullable String getClientId() {
			return this.clientId;
		}

		@Override
		public @Nullable String getClientSecret() {
			return this.clientSecret;
		}

	}

}
