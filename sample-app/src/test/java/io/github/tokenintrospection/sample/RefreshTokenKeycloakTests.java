package io.github.tokenintrospection.sample;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Keycloak refresh token that Keycloak itself calls active is still refused as a bearer
 * token. The service introspects as a client that Keycloak answers {@code active: true}
 * for its refresh tokens (see {@link NotesKeycloak#REALM_AUDIENCE_CLIENT_SECRET});
 * audience and issuer match, so only the token type check stands between the refresh
 * token and the API.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@Import(NotesKeycloakConfiguration.class)
class RefreshTokenKeycloakTests {

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void introspectAsRealmAudienceClient(DynamicPropertyRegistry registry) {
		registry.add("spring.security.oauth2.resourceserver.opaquetoken.client-id", NotesKeycloak::realmUrl);
		registry.add("spring.security.oauth2.resourceserver.opaquetoken.client-secret",
				() -> NotesKeycloak.REALM_AUDIENCE_CLIENT_SECRET);
	}

	@Test
	void getWhenKeycloakRefreshTokenUsedAsBearerThenUnauthorized() {
		String clientId = NotesKeycloak.realmUrl();
		String refreshToken = NotesKeycloak.passwordGrant(clientId, "alice", "").refreshToken();
		JsonNode introspection = NotesKeycloak.introspect(refreshToken, clientId,
				NotesKeycloak.REALM_AUDIENCE_CLIENT_SECRET);
		assertThat(introspection.get("active").isBoolean() && introspection.get("active").booleanValue()).isTrue();
		assertThat(introspection.get("token_type").stringValue()).isEqualTo("Refresh");

		HttpResponse<String> response = new NotesApiClient(this.port).get("/api/notes", refreshToken);

		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.headers().firstValue("WWW-Authenticate"))
			.hasValueSatisfying((header) -> assertThat(header).contains("invalid_token")
				.contains("not an access token")
				.doesNotContain("audience")
				.doesNotContain("issuer"));
	}

}
