package io.github.tokenintrospection.autoconfigure;

import io.github.tokenintrospection.client.RestClientIntrospectionClient;
import io.github.tokenintrospection.internal.client.IntrospectionExchange;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.http.MediaType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code token-introspection.signed-answers.*} checked at start-up: everything the
 * verification of signed answers needs is known, and unsafe algorithms are refused, each
 * failure naming its property; nothing is fetched at start-up.
 */
class SignedAnswersAutoConfigurationTests {

	private static final String OPAQUETOKEN = "spring.security.oauth2.resourceserver.opaquetoken.";

	private static final String SIGNED = "token-introspection.signed-answers.";

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TokenIntrospectionAutoConfiguration.class,
				OAuth2ResourceServerAutoConfiguration.class))
		.withPropertyValues(OPAQUETOKEN + "introspection-uri=https://idp.example/introspect",
				OPAQUETOKEN + "client-id=notes-api", OPAQUETOKEN + "client-secret=s3cret");

	@Test
	void contextWhenRequireWithKeysAndIssuerThenStartsWithoutCallingTheServer() {
		this.contextRunner
			.withPropertyValues(SIGNED + "mode=require", SIGNED + "jwks-uri=https://idp.example/jwks",
					SIGNED + "issuer=https://idp.example")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void contextWhenSignedAnswersWithoutKeySetOrIssuerUriThenFailsNamingJwksUri() {
		this.contextRunner.withPropertyValues(SIGNED + "mode=prefer", SIGNED + "issuer=https://idp.example")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining(SIGNED + "jwks-uri"));
	}

	@Test
	void contextWhenSignedAnswersWithoutIssuerThenFailsNamingIssuer() {
		this.contextRunner.withPropertyValues(SIGNED + "mode=prefer", SIGNED + "jwks-uri=https://idp.example/jwks")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining(SIGNED + "issuer"));
	}

	@Test
	void contextWhenAlgorithmsHoldNoneOrHmacThenFailsNamingAlgorithms() {
		for (String algorithm : new String[] { "none", "HS256", "RS256,HS512", "XX1" }) {
			this.contextRunner
				.withPropertyValues(SIGNED + "mode=require", SIGNED + "jwks-uri=https://idp.example/jwks",
						SIGNED + "issuer=https://idp.example", SIGNED + "algorithms=" + algorithm)
				.run((context) -> assertThat(context).hasFailed()
					.getFailure()
					.rootCause()
					.hasMessageContaining(SIGNED + "algorithms"));
		}
	}

	@Test
	void contextWhenKeySetUriIsPlainHttpThenFailsNamingIt() {
		this.contextRunner
			.withPropertyValues(SIGNED + "mode=require", SIGNED + "jwks-uri=http://idp.example/jwks",
					SIGNED + "issuer=https://idp.example")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining(SIGNED + "jwks-uri"));
	}

	@Test
	void contextWhenKeycloakJwtMemberThenAsksForApplicationJwtOnly() {
		this.contextRunner
			.withPropertyValues(SIGNED + "mode=require", SIGNED + "format=keycloak-jwt-member",
					SIGNED + "jwks-uri=https://idp.example/jwks", SIGNED + "issuer=https://idp.example")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(RestClientIntrospectionClient.class)).extracting("exchange")
					.satisfies((exchange) -> assertThat(((IntrospectionExchange) exchange).acceptedMediaTypes())
						.containsExactly(MediaType.parseMediaType("application/jwt")));
			});
	}

	@Test
	void contextWhenKeycloakJwtMemberWithDecryptionKeyThenFailsNamingIt() {
		this.contextRunner
			.withPropertyValues(SIGNED + "mode=prefer", SIGNED + "format=keycloak-jwt-member",
					SIGNED + "jwks-uri=https://idp.example/jwks", SIGNED + "issuer=https://idp.example",
					SIGNED + "decryption-key-location=classpath:keys/rs-decryption.pem")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining(SIGNED + "decryption-key-location"));
	}

	@Test
	void contextWhenOffThenNothingRequired() {
		this.contextRunner.withPropertyValues(SIGNED + "algorithms=none")
			.run((context) -> assertThat(context).hasNotFailed());
	}

}
