package io.github.tokenintrospection.autoconfigure;

import java.io.InputStream;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;

import io.github.tokenintrospection.client.RestClientIntrospectionClient;
import io.github.tokenintrospection.internal.client.IntrospectionExchange;
import io.github.tokenintrospection.internal.jose.SignedAnswers;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerAutoConfiguration;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.http.MediaType;
import org.springframework.security.oauth2.core.OAuth2AuthenticatedPrincipal;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;

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
	void introspectWhenDecryptionKeyFromSslBundleThenEncryptedAnswerDecryptedAndVerified() throws Exception {
		SignedAnswers server = new SignedAnswers("k1");
		ECPublicKey resourceServerKey = (ECPublicKey) certificate("classpath:test-only-tls/client.crt").getPublicKey();
		try (MockWebServer authorizationServer = new MockWebServer()) {
			authorizationServer.setDispatcher(new Dispatcher() {
				@Override
				public MockResponse dispatch(RecordedRequest request) {
					return "/jwks".equals(request.getUrl().encodedPath()) ? server.jwksResponse()
							: SignedAnswers.answer(SignedAnswers
								.encrypt(server.sign(SignedAnswers.ACTIVE, Instant.now()), resourceServerKey));
				}
			});
			authorizationServer.start();
			this.contextRunner.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class))
				.withPropertyValues(OPAQUETOKEN + "introspection-uri=" + authorizationServer.url("/introspect"),
						"token-introspection.allow-insecure-http=true", SIGNED + "mode=require",
						SIGNED + "jwks-uri=" + authorizationServer.url("/jwks"),
						SIGNED + "issuer=" + SignedAnswers.ISSUER, SIGNED + "audience=" + SignedAnswers.AUDIENCE,
						"spring.ssl.bundle.pem.rs.keystore.certificate=classpath:test-only-tls/client.crt",
						"spring.ssl.bundle.pem.rs.keystore.private-key=classpath:test-only-tls/client.key",
						SIGNED + "decryption-key-bundle=rs")
				.run((context) -> {
					assertThat(context).hasNotFailed();
					OAuth2AuthenticatedPrincipal principal = context.getBean(OpaqueTokenIntrospector.class)
						.introspect("some-token");
					assertThat(principal.getName()).isEqualTo("alice");
				});
		}
	}

	@Test
	void contextWhenDecryptionKeyBundleUnknownThenFailsNamingIt() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class))
			.withPropertyValues(SIGNED + "mode=require", SIGNED + "jwks-uri=https://idp.example/jwks",
					SIGNED + "issuer=https://idp.example", SIGNED + "decryption-key-bundle=absent")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining(SIGNED + "decryption-key-bundle")
				.hasMessageContaining("names no SSL bundle"));
	}

	@Test
	void contextWhenDecryptionKeyBundleAndLocationThenFailsNamingTheBundle() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class))
			.withPropertyValues(SIGNED + "mode=require", SIGNED + "jwks-uri=https://idp.example/jwks",
					SIGNED + "issuer=https://idp.example", SIGNED + "decryption-key-bundle=rs",
					SIGNED + "decryption-key-location=classpath:test-only-tls/client.key")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining(SIGNED + "decryption-key-bundle"));
	}

	private static X509Certificate certificate(String location) throws Exception {
		try (InputStream in = new DefaultResourceLoader().getResource(location).getInputStream()) {
			return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
		}
	}

	@Test
	void contextWhenOffThenNothingRequired() {
		this.contextRunner.withPropertyValues(SIGNED + "algorithms=none")
			.run((context) -> assertThat(context).hasNotFailed());
	}

}
