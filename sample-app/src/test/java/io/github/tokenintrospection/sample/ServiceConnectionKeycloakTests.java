package io.github.tokenintrospection.sample;

import java.net.http.HttpResponse;

import io.github.tokenintrospection.autoconfigure.TokenIntrospectionConnectionDetails;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The notes API connected to the real Keycloak by {@code @ServiceConnection}, as
 * {@code spring-boot:test-run} connects it: application.yml's endpoint, issuer and client
 * properties point at a closed port with a wrong secret here, so every request below is
 * introspected with what the starter read from the container and its realm file.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "keycloak.url=http://127.0.0.1:9",
				"spring.security.oauth2.resourceserver.opaquetoken.client-secret=not-the-secret" })
@Import(NotesKeycloakServiceConnection.class)
class ServiceConnectionKeycloakTests {

	@LocalServerPort
	int port;

	@Autowired
	TokenIntrospectionConnectionDetails connectionDetails;

	@Test
	void connectionDetailsWhenServiceConnectionThenRealmAndClientOfTheImportedRealmFile() {
		String realm = NotesKeycloak.realmUrl();
		assertThat(this.connectionDetails.getIntrospectionUri())
			.isEqualTo(realm + "/protocol/openid-connect/token/introspect");
		assertThat(this.connectionDetails.getIssuerUri()).isEqualTo(realm);
		assertThat(this.connectionDetails.getClientId()).isEqualTo(NotesKeycloak.API_CLIENT_ID);
		assertThat(this.connectionDetails.getClientSecret()).isEqualTo(NotesKeycloak.API_CLIENT_SECRET);
	}

	@Test
	void getWhenTokenOfTheContainersRealmThenIntrospectedAndOk() {
		String token = NotesKeycloak.passwordGrant("notes-web", "bob", "").accessToken();
		HttpResponse<String> response = new NotesApiClient(this.port).get("/api/notes", token);
		assertThat(response.statusCode()).isEqualTo(200);
	}

	@Test
	void postWhenEditorRoleAndWriteScopeThenCreatedAndWithoutEditorRoleForbidden() {
		NotesApiClient api = new NotesApiClient(this.port);
		String alice = NotesKeycloak.passwordGrant("notes-web", "alice", "notes:write").accessToken();
		String bob = NotesKeycloak.passwordGrant("notes-web", "bob", "notes:write").accessToken();
		assertThat(api.post("/api/notes", alice, "{\"text\":\"buy milk\"}").statusCode()).isEqualTo(201);
		assertThat(api.post("/api/notes", bob, "{\"text\":\"buy milk\"}").statusCode()).isEqualTo(403);
	}

	@Test
	void getWhenUnknownTokenThenUnauthorized() {
		assertThat(new NotesApiClient(this.port).get("/api/notes", "nonsense").statusCode()).isEqualTo(401);
	}

}
