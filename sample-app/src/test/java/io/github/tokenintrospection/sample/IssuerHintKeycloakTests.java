package io.github.tokenintrospection.sample;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two realms on one path: neither server has request rules, so a Keycloak token's
 * {@code iss} picks the realm that introspects it; the other realm is never asked.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "token-introspection.authorization-servers.partners.route.paths=")
@ActiveProfiles("two-realms")
@Import(NotesKeycloakConfiguration.class)
class IssuerHintKeycloakTests {

	@LocalServerPort
	int port;

	@Autowired
	MeterRegistry meters;

	@Test
	void getWhenTokensOfBothRealmsOnOnePathThenEachIntrospectedByItsRealmOnly() {
		NotesApiClient api = new NotesApiClient(this.port);
		String notesToken = NotesKeycloak.passwordGrant("notes-web", "alice", "").accessToken();
		String partnersToken = NotesKeycloak
			.passwordGrant(NotesKeycloak.partnersRealmUrl(), "partners-web", "carol", "")
			.accessToken();
		long notesCalls = SeveralRealmsKeycloakTests.calls(this.meters, "default");
		long partnersCalls = SeveralRealmsKeycloakTests.calls(this.meters, "partners");

		assertThat(api.get("/api/notes", partnersToken).statusCode()).isEqualTo(200);
		assertThat(SeveralRealmsKeycloakTests.calls(this.meters, "partners")).isEqualTo(partnersCalls + 1);
		assertThat(SeveralRealmsKeycloakTests.calls(this.meters, "default")).isEqualTo(notesCalls);

		assertThat(api.get("/api/notes", notesToken).statusCode()).isEqualTo(200);
		assertThat(SeveralRealmsKeycloakTests.calls(this.meters, "default")).isEqualTo(notesCalls + 1);
		assertThat(SeveralRealmsKeycloakTests.calls(this.meters, "partners")).isEqualTo(partnersCalls + 1);
	}

}
