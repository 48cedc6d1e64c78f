package io.github.tokenintrospection.sample;

import io.github.tokenintrospection.client.RestClientIntrospectionClient;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

/**
 * client_secret_basic (the default, also exercised by the other tests),
 * client_secret_post and client_secret_jwt against Keycloak, each with its failure path.
 */
class ClientSecretKeycloakTests {

	private static final String METHOD = "token-introspection.client-authentication-method=";

	private static final String CLIENT_ID = "spring.security.oauth2.resourceserver.opaquetoken.client-id=";

	private static final String CLIENT_SECRET = "spring.security.oauth2.resourceserver.opaquetoken.client-secret=";

	static String bobsToken() {
		return NotesKeycloak.passwordGrant("notes-web", "bob", "").accessToken();
	}

	@Nested
	@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = CLIENT_SECRET + "not-the-secret")
	@Import(NotesKeycloakConfiguration.class)
	class ClientSecretBasicWithWrongSecret {

		@LocalServerPort
		int port;

		@Autowired
		RestClientIntrospectionClient client;

		@Test
		void getWhenKeycloakRejectsSecretThenServiceUnavailableAndNothingCached() {
			IntrospectionOutcomes.assertUnavailableAndNotCached(this.port, this.client, bobsToken());
		}

	}

	@Nested
	@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = METHOD + "client_secret_post")
	@Import(NotesKeycloakConfiguration.class)
	class ClientSecretPost {

		@LocalServerPort
		int port;

		@Autowired
		RestClientIntrospectionClient client;

		@Test
		void getWhenSecretPostedThenOk() {
			IntrospectionOutcomes.assertAccepted(this.port, this.client, bobsToken());
		}

	}

	@Nested
	@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = { METHOD + "client_secret_post", CLIENT_SECRET + "not-the-secret" })
	@Import(NotesKeycloakConfiguration.class)
	class ClientSecretPostWithWrongSecret {

		@LocalServerPort
		int port;

		@Autowired
		RestClientIntrospectionClient client;

		@Test
		void getWhenKeycloakRejectsSecretThenServiceUnavailableAndNothingCached() {
			IntrospectionOutcomes.assertUnavailableAndNotCached(this.port, this.client, bobsToken());
		}

	}

	@Nested
	@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = { METHOD + "client_secret_jwt", CLIENT_ID + NotesKeycloak.JWT_CLIENT_ID,
					CLIENT_SECRET + NotesKeycloak.JWT_CLIENT_SECRET })
	@Import(NotesKeycloakConfiguration.class)
	class ClientSecretJwt {

		@LocalServerPort
		int port;

		@Autowired
		RestClientIntrospectionClient client;

		@Test
		void getWhenAssertionSignedWithSecretThenOk() {
			IntrospectionOutcomes.assertAccepted(this.port, this.client, bobsToken());
		}

	}

	@Nested
	@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = { METHOD + "client_secret_jwt", CLIENT_ID + NotesKeycloak.JWT_CLIENT_ID,
					CLIENT_SECRET + "a-different-secret-of-sufficient-length-42" })
	@Import(NotesKeycloakConfiguration.class)
	class ClientSecretJwtWithWrongSecret {

		@LocalServerPort
		int port;

		@Autowired
		RestClientIntrospectionClient client;

		@Test
		void getWhenAssertionSignedWithWrongSecretThenServiceUnavailableAndNothingCached() {
			IntrospectionOutcomes.assertUnavailableAndNotCached(this.port, this.client, bobsToken());
		}

	}

}
