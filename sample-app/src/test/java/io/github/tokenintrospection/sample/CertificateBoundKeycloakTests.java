package io.github.tokenintrospection.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.nio.file.Files;

import javax.net.ssl.SSLContext;

import io.github.tokenintrospection.internal.possession.CertificateThumbprints;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Certificate-bound tokens of the real Keycloak (RFC 8705): a token that
 * notes-machine-mtls obtains over mutual TLS is bound to its certificate
 * ({@code cnf.x5t#S256} in Keycloak's introspection answer), and the notes API, serving
 * HTTPS and asking for client certificates, accepts it only over a TLS session with that
 * certificate. The same scenarios run on WebFlux in
 * {@link ReactiveCertificateBoundKeycloakTests}.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@Import(NotesKeycloakConfiguration.class)
class CertificateBoundKeycloakTests {

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void httpsWithClientCertificates(DynamicPropertyRegistry registry) {
		// Tokens obtained over HTTPS have its issuer; Keycloak introspects them there.
		registry.add("spring.security.oauth2.resourceserver.opaquetoken.introspection-uri",
				() -> NotesKeycloak.httpsRealmUrl() + "/protocol/openid-connect/token/introspect");
		registry.add("token-introspection.validation.allowed-issuers", NotesKeycloak::httpsRealmUrl);
		registry.add("token-introspection.ssl-bundle", () -> "keycloak");
		registry.add("spring.ssl.bundle.pem.keycloak.truststore.certificate",
				() -> "file:" + NotesKeycloak.PKI.caCertificateFile());
		registry.add("server.ssl.bundle", () -> "notes-api");
		registry.add("server.ssl.client-auth", () -> "want");
		registry.add("spring.ssl.bundle.pem.notes-api.keystore.certificate",
				() -> "file:" + NotesKeycloak.API_SERVER_CERTIFICATE.certificate());
		registry.add("spring.ssl.bundle.pem.notes-api.keystore.private-key",
				() -> "file:" + NotesKeycloak.API_SERVER_CERTIFICATE.privateKey());
		registry.add("spring.ssl.bundle.pem.notes-api.truststore.certificate",
				() -> "file:" + NotesKeycloak.PKI.caCertificateFile());
	}

	@Test
	void keycloakWhenTokenObtainedOverMutualTlsThenIntrospectionAnswerBindsItToTheCertificate() throws Exception {
		String token = NotesKeycloak.certificateBoundToken();

		JsonNode answer = NotesKeycloak.introspectOverHttps(token);

		assertThat(answer.path("active").booleanValue()).isTrue();
		assertThat(answer.path("cnf").path("x5t#S256").stringValue())
			.isEqualTo(CertificateThumbprints.of(certificate(NotesKeycloak.MACHINE_CERTIFICATE)));
	}

	@Test
	void getWhenSameCertificateThen200AndOtherOrNoCertificate401() {
		String token = NotesKeycloak.certificateBoundToken();

		HttpResponse<String> same = get(NotesKeycloak.PKI.sslContext(NotesKeycloak.MACHINE_CERTIFICATE), token);
		HttpResponse<String> other = get(NotesKeycloak.PKI.sslContext(NotesKeycloak.INTRUDER_CERTIFICATE), token);
		HttpResponse<String> none = get(NotesKeycloak.PKI.trustingSslContext(), token);

		assertThat(same.statusCode()).isEqualTo(200);
		assertThat(other.statusCode()).isEqualTo(401);
		assertThat(none.statusCode()).isEqualTo(401);
		assertThat(none.headers().firstValue("WWW-Authenticate"))
			.hasValueSatisfying((challenge) -> assertThat(challenge).contains("error=\"invalid_token\""));
	}

	private HttpResponse<String> get(SSLContext sslContext, String token) {
		HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(sslContext).build();
		HttpRequest request = HttpRequest.newBuilder(URI.create("https://localhost:" + this.port + "/api/notes"))
			.header("Authorization", "Bearer " + token)
			.GET()
			.build();
		try {
			return client.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static X509Certificate certificate(TestPki.IssuedCertificate issued) throws Exception {
		try (var in = Files.newInputStream(issued.certificate())) {
			return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
		}
	}

}
