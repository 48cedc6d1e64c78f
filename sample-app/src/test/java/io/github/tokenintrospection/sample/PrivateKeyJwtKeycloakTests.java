package io.github.tokenintrospection.sample;

import com.nimbusds.jose.jwk.RSAKey;
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
 * private_key_jwt against Keycloak's "Signed JWT" client authenticator, whose client has
 * the public key registered as a JWKS; the private key is a PEM file made at test start.
 */
class PrivateKeyJwtKeycloakTests {

	static void privateKeyJwt(DynamicPropertyRegistry registry, RSAKey key, String fileName) {
		registry.add("token-introspection.client-authentication-method", () -> "private_key_jwt");
		registry.add("spring.security.oauth2.resourceserver.opaquetoken.client-id",
				() -> NotesKeycloak.PKJWT_CLIENT_ID);
		registry.add("token-introspection.client-assertion.private-key-location",
				() -> "file:" + NotesKeycloak.privateKeyFile(fileName, key));
		registry.add("token-introspection.client-assertion.key-id", () -> NotesKeycloak.PKJWT_KEY_ID);
	}

	@Nested
	@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
	@Import(NotesKeycloakConfiguration.class)
	class RegisteredKey {

		@LocalServerPort
		int port;

		@Autowired
		RestClientIntrospectionClient client;

		@Test
		void getWhenAssertionSignedWithRegisteredKeyThenOk() {
			IntrospectionOutcomes.assertAccepted(this.port, this.client, ClientSecretKeycloakTests.bobsToken());
		}

		@DynamicPropertySource
		static void properties(DynamicPropertyRegistry registry) {
			privateKeyJwt(registry, NotesKeycloak.PKJWT_KEY, "pkjwt.key");
		}

	}

	@Nested
	@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
	@Import(NotesKeycloakConfiguration.class)
	class UnknownKey {

		@LocalServerPort
		int port;

		@Autowired
		RestClientIntrospectionClient client;

		@Test
		void getWhenAssertionSignedWithUnknownKeyThenServiceUnavailableAndNothingCached() {
			IntrospectionOutcomes.assertUnavailableAndNotCached(this.port, this.client,
					ClientSecretKeycloakTests.bobsToken());
		}

		@DynamicPropertySource
		static void properties(DynamicPropertyRegistry registry) {
			privateKeyJwt(registry, NotesKeycloak.UNKNOWN_PKJWT_KEY, "unknown-pkjwt.key");
		}

	}

}
