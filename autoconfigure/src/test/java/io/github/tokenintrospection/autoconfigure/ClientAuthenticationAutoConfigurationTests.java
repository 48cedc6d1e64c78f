package io.github.tokenintrospection.autoconfigure;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;

import com.nimbusds.jwt.SignedJWT;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerAutoConfiguration;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.web.OAuth2ResourceServerWebSecurityAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;

import static io.github.tokenintrospection.autoconfigure.IssuerDiscoveryAutoConfigurationTests.assertInvalidProperty;
import static io.github.tokenintrospection.autoconfigure.IssuerDiscoveryAutoConfigurationTests.formValue;
import static io.github.tokenintrospection.autoconfigure.IssuerDiscoveryAutoConfigurationTests.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The configured client authentication method through the auto-configuration: what is
 * sent, and the start-up failures that name the missing or wrong property. What both
 * stacks send for each method: {@code contract.ClientAuthenticationTests}.
 */
class ClientAuthenticationAutoConfigurationTests {

	private static final String OPAQUETOKEN = "spring.security.oauth2.resourceserver.opaquetoken.";

	private static final String METHOD = "token-introspection.client-authentication-method=";

	private static final String JWT_SECRET = "an-hs256-secret-of-at-least-32-bytes";

	private static final String ACTIVE = "{\"active\":true,\"sub\":\"alice\",\"token_type\":\"Bearer\"}";

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TokenIntrospectionAutoConfiguration.class,
				OAuth2ResourceServerAutoConfiguration.class, OAuth2ResourceServerWebSecurityAutoConfiguration.class,
				SecurityAutoConfiguration.class, ServletWebSecurityAutoConfiguration.class,
				SslAutoConfiguration.class));

	private final MockWebServer server = new MockWebServer();

	@TempDir
	Path directory;

	@BeforeEach
	void startServer() throws IOException {
		this.server.start();
	}

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	@Test
	void introspectWhenClientSecretJwtWithIssuerThenAssertionForTheIssuer() throws Exception {
		String issuer = this.server.url("/realms/a").toString();
		this.server.enqueue(json(200, ACTIVE.replace("}", ",\"iss\":\"" + issuer + "\"}")));
		this.contextRunner
			.withPropertyValues(introspection(), "token-introspection.issuer-uri=" + issuer,
					OPAQUETOKEN + "client-id=notes-api", OPAQUETOKEN + "client-secret=" + JWT_SECRET,
					METHOD + "client-secret-jwt", "token-introspection.client-assertion.lifetime=45s")
			.run((context) -> {
				context.getBean(OpaqueTokenIntrospector.class).introspect("token-1");

				SignedJWT jwt = SignedJWT
					.parse(formValue(this.server.takeRequest().getBody().utf8(), "client_assertion"));
				assertThat(jwt.getJWTClaimsSet().getAudience()).containsExactly(issuer);
				assertThat(jwt.getJWTClaimsSet().getExpirationTime().getTime()
						- jwt.getJWTClaimsSet().getIssueTime().getTime())
					.isEqualTo(45_000);
			});
	}

	@Test
	void startupWhenClientSecretJwtWithShortSecretThenFailsNamingClientSecretWithoutShowingIt() {
		this.contextRunner
			.withPropertyValues(introspection(), OPAQUETOKEN + "client-id=notes-api",
					OPAQUETOKEN + "client-secret=0123456789", METHOD + "client_secret_jwt")
			.run((context) -> {
				assertInvalidProperty(context, OPAQUETOKEN + "client-secret", "32 bytes");
				for (Throwable cause = context.getStartupFailure(); cause != null; cause = cause.getCause()) {
					assertThat(String.valueOf(cause.getMessage())).doesNotContain("0123456789");
				}
			});
	}

	@Test
	void startupWhenClientSecretBasicWithoutSecretThenFailsNamingClientSecret() {
		this.contextRunner.withPropertyValues(introspection(), OPAQUETOKEN + "client-id=notes-api")
			.run((context) -> assertInvalidProperty(context, OPAQUETOKEN + "client-secret"));
	}

	@Test
	void startupWhenPrivateKeyJwtWithoutKeyThenFailsNamingPrivateKeyLocation() {
		this.contextRunner
			.withPropertyValues(introspection(), OPAQUETOKEN + "client-id=notes-api", METHOD + "private_key_jwt")
			.run((context) -> assertInvalidProperty(context,
					"token-introspection.client-assertion.private-key-location"));
	}

	@Test
	void startupWhenPrivateKeyLocationHoldsNoKeyThenFailsNamingIt() throws IOException {
		Path file = Files.writeString(this.directory.resolve("not-a-key.pem"), "hello");
		this.contextRunner
			.withPropertyValues(introspection(), OPAQUETOKEN + "client-id=notes-api", METHOD + "private_key_jwt",
					"token-introspection.client-assertion.private-key-location=" + file.toUri())
			.run((context) -> assertInvalidProperty(context,
					"token-introspection.client-assertion.private-key-location"));
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "not base64", "certificate only" })
	void startupWhenPrivateKeyLocationHoldsMalformedPemThenFailsNamingIt(String content) throws IOException {
		String pem = content.equals("not base64")
				? "-----BEGIN PRIVATE KEY-----\n%%% not base64 %%%\n-----END PRIVATE KEY-----\n"
				: "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUEjRW\n-----END CERTIFICATE-----\n";
		Path file = Files.writeString(this.directory.resolve("bad.pem"), pem);
		this.contextRunner
			.withPropertyValues(introspection(), OPAQUETOKEN + "client-id=notes-api", METHOD + "private_key_jwt",
					"token-introspection.client-assertion.private-key-location=" + file.toUri())
			.run((context) -> assertInvalidProperty(context,
					"token-introspection.client-assertion.private-key-location"));
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "Ed25519", "RSA-1024" })
	void startupWhenPrivateKeyCannotSignClientAssertionsThenFailsNamingPrivateKeyLocation(String keyType)
			throws Exception {
		KeyPairGenerator generator = KeyPairGenerator.getInstance(keyType.startsWith("RSA") ? "RSA" : keyType);
		if (keyType.equals("RSA-1024")) {
			generator.initialize(1024);
		}
		Path pem = writePem(generator.generateKeyPair());
		this.contextRunner
			.withPropertyValues(introspection(), OPAQUETOKEN + "client-id=notes-api", METHOD + "private_key_jwt",
					"token-introspection.client-assertion.private-key-location=" + pem.toUri())
			.run((context) -> assertInvalidProperty(context,
					"token-introspection.client-assertion.private-key-location"));
	}

	@Test
	void startupWhenTlsClientAuthWithoutSslBundleThenFailsNamingSslBundle() {
		this.contextRunner
			.withPropertyValues(introspection(), OPAQUETOKEN + "client-id=notes-api", METHOD + "tls_client_auth")
			.run((context) -> assertInvalidProperty(context, "token-introspection.ssl-bundle"));
	}

	@Test
	void startupWhenTlsClientAuthWithUnknownSslBundleThenFailsNamingSslBundle() {
		this.contextRunner
			.withPropertyValues(introspection(), OPAQUETOKEN + "client-id=notes-api", METHOD + "tls_client_auth",
					"token-introspection.ssl-bundle=missing")
			.run((context) -> assertInvalidProperty(context, "token-introspection.ssl-bundle", "missing"));
	}

	@Test
	void startupWhenUnknownSslBundleWithoutSslAutoConfigurationThenFailsNamingSslBundle() {
		new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(TokenIntrospectionAutoConfiguration.class,
					OAuth2ResourceServerAutoConfiguration.class))
			.withPropertyValues(introspection(), OPAQUETOKEN + "client-id=notes-api",
					OPAQUETOKEN + "client-secret=s3cret", "token-introspection.ssl-bundle=missing")
			.run((context) -> assertInvalidProperty(context, "token-introspection.ssl-bundle"));
	}

	/** Writes the private key as PKCS#8 PEM, as openssl genpkey does. */
	private Path writePem(KeyPair keyPair) throws IOException {
		return Files.writeString(this.directory.resolve("client-key.pem"),
				"-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
					.encodeToString(keyPair.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n");
	}

	private String introspection() {
		return OPAQUETOKEN + "introspection-uri=" + this.server.url("/introspect");
	}

}
