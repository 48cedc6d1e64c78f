package io.github.tokenintrospection.sample;

import io.github.tokenintrospection.client.RestClientIntrospectionClient;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * tls_client_auth and private-CA trust against Keycloak serving HTTPS with client
 * certificate authentication; keys and certificates come from {@link TestPki}, an SSL
 * bundle names them.
 */
class MutualTlsKeycloakTests {

	/** Introspect over HTTPS, trusting the test CA, presenting the given certificate. */
	static void https(DynamicPropertyRegistry registry, String method, TestPki.IssuedCertificate clientCertificate) {
		registry.add("spring.security.oauth2.resourceserver.opaquetoken.introspection-uri",
				() -> NotesKeycloak.httpsRealmUrl() + "/protocol/openid-connect/token/introspect");
		registry.add("token-introspection.validation.allowed-issuers", NotesKeycloak::httpsRealmUrl);
		registry.add("spring.ssl.bundle.pem.keycloak.truststore.certificate",
				() -> "file:" + NotesKeycloak.PKI.caCertificateFile());
		if (clientCertificate != null) {
			registry.add("spring.ssl.bundle.pem.keycloak.keystore.certificate",
					() -> "file:" + clientCertificate.certificate());
			registry.add("spring.ssl.bundle.pem.keycloak.keystore.private-key",
					() -> "file:" + clientCertificate.privateKey());
		}
		registry.add("token-introspection.ssl-bundle", () -> "keycloak");
		registry.add("token-introspection.client-authentication-method", () -> method);
		if ("tls_client_auth".equals(method)) {
			registry.add("spring.security.oauth2.resourceserver.opaquetoken.client-id",
					() -> NotesKeycloak.MTLS_CLIENT_ID);
		}
	}

	/** Tokens obtained through the HTTPS URL, so that their issuer matches it. */
	static String bobsHttpsToken() {
		return NotesKeycloak.passwordGrant(NotesKeycloak.httpsRealmUrl(), "notes-web", "bob", "").accessToken();
	}

	@Nested
	@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
	@Import(NotesKeycloakConfiguration.class)
	class ClientCertificate {

		@LocalServerPort
		int port;

		@Autowired
		RestClientIntrospectionClient client;

		@Test
		void getWhenRegisteredClientCertificateThenOk() {
			IntrospectionOutcomes.assertAccepted(this.port, this.client, bobsHttpsToken());
		}

		@DynamicPropertySource
		static void properties(DynamicPropertyRegistry registry) {
			https(registry, "tls_client_auth", NotesKeycloak.MTLS_CLIENT_CERTIFICATE);
		}

	}

	@Nested
	@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
	@Import(NotesKeycloakConfiguration.class)
	class OtherClientCertificate {

		@LocalServerPort
		int port;

		@Autowired
		RestClientIntrospectionClient client;

		@Test
		void getWhenCertificateOfAnotherSubjectThenServiceUnavailableAndNothingCached() {
			IntrospectionOutcomes.assertUnavailableAndNotCached(this.port, this.client, bobsHttpsToken());
		}

		@DynamicPropertySource
		static void properties(DynamicPropertyRegistry registry) {
			https(registry, "tls_client_auth", NotesKeycloak.INTRUDER_CERTIFICATE);
		}

	}

	@Nested
	@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
	@Import(NotesKeycloakConfiguration.class)
	class PrivateCaTrust {

		@LocalServerPort
		int port;

		@Autowired
		RestClientIntrospectionClient client;

		@Test
		void getWhenHttpsWithPrivateCaInSslBundleThenOk() {
			IntrospectionOutcomes.assertAccepted(this.port, this.client, bobsHttpsToken());
		}

		@DynamicPropertySource
		static void properties(DynamicPropertyRegistry registry) {
			https(registry, "client_secret_basic", null);
		}

	}

	@Nested
	@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
	@Import(NotesKeycloakConfiguration.class)
	class NoTrust {

		@LocalServerPort
		int port;

		@Autowired
		RestClientIntrospectionClient client;

		@Test
		void getWhenKeycloakCertificateNotTrustedThenServiceUnavailableAndNothingCached() {
			IntrospectionOutcomes.assertUnavailableAndNotCached(this.port, this.client, bobsHttpsToken());
		}

		@DynamicPropertySource
		static void properties(DynamicPropertyRegistry registry) {
			registry.add("spring.security.oauth2.resourceserver.opaquetoken.introspection-uri",
					() -> NotesKeycloak.httpsRealmUrl() + "/protocol/openid-connect/token/introspect");
			registry.add("token-introspection.validation.allowed-issuers", NotesKeycloak::httpsRealmUrl);
		}

	}

}
