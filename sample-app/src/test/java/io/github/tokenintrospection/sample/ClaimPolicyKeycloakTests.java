package io.github.tokenintrospection.sample;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tokens that Keycloak calls active are still refused when the service's configured
 * audience or issuer does not match them.
 */
class ClaimPolicyKeycloakTests {

	static void assertValidKeycloakTokenRejected(int port, String expectedReason) {
		String token = NotesKeycloak.passwordGrant("notes-web", "bob", "").accessToken();
		assertThat(NotesKeycloak.introspect(token).get("active").booleanValue()).isTrue();
		HttpResponse<String> response = new NotesApiClient(port).get("/api/notes", token);
		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.headers().firstValue("WWW-Authenticate"))
			.hasValueSatisfying((header) -> assertThat(header).contains("invalid_token").contains(expectedReason));
	}

	@Nested
	@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = "token-introspection.validation.required-audiences=billing-api")
	@Import(NotesKeycloakConfiguration.class)
	class WrongAudience {

		@LocalServerPort
		int port;

		@Test
		void getWhenTokenNotForConfiguredAudienceThenUnauthorized() {
			assertValidKeycloakTokenRejected(this.port, "audience");
		}

	}

	@Nested
	@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = "token-introspection.validation.allowed-issuers=https://login.example.com/realms/notes")
	@Import(NotesKeycloakConfiguration.class)
	class WrongIssuer {

		@LocalServerPort
		int port;

		@Test
		void getWhenTokenFromOtherIssuerThenUnauthorized() {
			assertValidKeycloakTokenRejected(this.port, "issuer");
		}

	}

}
