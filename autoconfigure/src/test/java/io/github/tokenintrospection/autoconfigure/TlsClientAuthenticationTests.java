package io.github.tokenintrospection.autoconfigure;

import java.io.IOException;
import java.net.http.HttpClient;
import java.security.cert.X509Certificate;

import io.github.tokenintrospection.client.AuthorizationServerUnavailableException;
import io.github.tokenintrospection.client.RestClientIntrospectionClient;
import io.github.tokenintrospection.client.authentication.ClientAuthentication;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerAutoConfiguration;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.security.oauth2.server.resource.introspection.BadOpaqueTokenException;
import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionException;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;
import org.springframework.web.client.RestClient;

import static io.github.tokenintrospection.autoconfigure.IssuerDiscoveryAutoConfigurationTests.formValue;
import static io.github.tokenintrospection.autoconfigure.IssuerDiscoveryAutoConfigurationTests.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@code tls_client_auth} (RFC 8705) against an HTTPS introspection endpoint that
 * requires a client certificate. The certificates in {@code src/test/resources/tls} are
 * self-signed P-256 certificates valid for 100 years, made with
 * {@code openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 36500}:
 * {@code server.crt} for localhost and 127.0.0.1, {@code client.crt} for CN=notes-api.
 */
class TlsClientAuthenticationTests {

	private static final String OPAQUETOKEN = "spring.security.oauth2.resourceserver.opaquetoken.";

	private static final String BUNDLES = "spring.ssl.bundle.pem.";

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TokenIntrospectionAutoConfiguration.class,
				OAuth2ResourceServerAutoConfiguration.class, SslAutoConfiguration.class))
		.withPropertyValues(BUNDLES + "idp.keystore.certificate=classpath:test-only-tls/client.crt",
				BUNDLES + "idp.keystore.private-key=classpath:test-only-tls/client.key",
				BUNDLES + "idp.truststore.certificate=classpath:test-only-tls/server.crt",
				BUNDLES + "trust-only.truststore.certificate=classpath:test-only-tls/server.crt",
				// The TLS handshake counts toward the connect timeout: generous, for busy
				// machines.
				"token-introspection.connect-timeout=20s", "token-introspection.read-timeout=20s");

	private final MockWebServer server = new MockWebServer();

	@BeforeEach
	void startServer() throws IOException {
		SslBundle serverBundle = SslBundle.of(new PemSslStoreBundle(
				PemSslStoreDetails.forCertificate("classpath:test-only-tls/server.crt")
					.withPrivateKey("classpath:test-only-tls/server.key"),
				PemSslStoreDetails.forCertificate("classpath:test-only-tls/client.crt")));
		this.server.useHttps(serverBundle.createSslContext().getSocketFactory());
		this.server.requireClientAuth();
		this.server.start();
	}

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	@Test
	void introspectWhenTlsClientAuthThenClientCertificatePresentedAndOnlyClientIdSent() throws Exception {
		this.server.enqueue(json(200, "{\"active\":true,\"sub\":\"alice\",\"token_type\":\"Bearer\"}"));
		this.contextRunner.withPropertyValues(OPAQUETOKEN + "introspection-uri=" + this.server.url("/introspect"),
				OPAQUETOKEN + "client-id=notes-api", "token-introspection.client-authentication-method=tls_client_auth",
				"token-introspection.ssl-bundle=idp")
			.run((context) -> {
				assertThat(context).hasNotFailed();

				assertThat(context.getBean(OpaqueTokenIntrospector.class).introspect("token-1").getName())
					.isEqualTo("alice");

				RecordedRequest request = this.server.takeRequest();
				assertThat(request.getHandshake()).isNotNull();
				assertThat(request.getHandshake().peerCertificates()).singleElement()
					.extracting((certificate) -> ((X509Certificate) certificate).getSubjectX500Principal().getName())
					.isEqualTo("CN=notes-api");
				assertThat(request.getHeaders().get("Authorization")).isNull();
				String body = request.getBody().utf8();
				assertThat(formValue(body, "client_id")).isEqualTo("notes-api");
				assertThat(formValue(body, "client_secret")).isNull();
				assertThat(formValue(body, "token")).isEqualTo("token-1");
			});
	}

	@Test
	void introspectWhenBundleHasNoClientCertificateThenServerFaultNotInactiveToken() {
		this.contextRunner.withPropertyValues(OPAQUETOKEN + "introspection-uri=" + this.server.url("/introspect"),
				OPAQUETOKEN + "client-id=notes-api", "token-introspection.client-authentication-method=tls_client_auth",
				"token-introspection.ssl-bundle=trust-only")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThatExceptionOfType(OAuth2IntrospectionException.class)
					.isThrownBy(() -> context.getBean(OpaqueTokenIntrospector.class).introspect("token-1"))
					.isNotInstanceOf(BadOpaqueTokenException.class);
			});
	}

	@Test
	void introspectWhenTlsHandshakeFailsThenNotRetried() {
		ClientAuthentication none = (endpoint, headers, form) -> {
		};
		HttpClient untrusting = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
		RestClientIntrospectionClient client = new RestClientIntrospectionClient(
				RestClient.builder().requestFactory(new JdkClientHttpRequestFactory(untrusting)).build(),
				() -> this.server.url("/introspect").uri(), none, "access_token");

		// The loopback server's certificate is self-signed: the handshake fails the same
		// way
		// every time, so a retry would only add load.
		assertThatExceptionOfType(AuthorizationServerUnavailableException.class)
			.isThrownBy(() -> client.introspect("t"))
			.satisfies((ex) -> assertThat(ex.isRetryable()).isFalse());
	}

}
