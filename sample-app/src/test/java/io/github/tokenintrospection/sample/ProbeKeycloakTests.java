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
 * Two realms on one path, neither with request rules nor a known issuer: with the probe,
 * a partners token is introspected at the notes realm, which says inactive, then at the
 * partners realm, which accepts it; the next requests are answered by the caches, with no
 * call to either realm.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "token-introspection.probe.enabled=true",
		"token-introspection.issuer-uri=", "token-introspection.authorization-servers.partners.issuer-uri=",
		"token-introspection.authorization-servers.partners.introspection-uri=${keycloak.url}/realms/partners/protocol/openid-connect/token/introspect",
		"token-introspection.authorization-servers.partners.route.paths=" })
@ActiveProfiles("two-realms")
@Import(NotesKeycloakConfiguration.class)
class ProbeKeycloakTests {

	@LocalServerPort
	int port;

	@Autowired
	MeterRegistry meters;

	@Test
	void getWhenPartnersTokenThenAcceptedAfterNotesRealmSaysInactiveAndThenFromCaches() {
		NotesApiClient api = new NotesApiClient(this.port);
		String partnersToken = NotesKeycloak
			.passwordGrant(NotesKeycloak.partnersRealmUrl(), "partners-web", "carol", "")
			.accessToken();
		long notesCalls = SeveralRealmsKeycloakTests.calls(this.meters, "default");
		long partnersCalls = SeveralRealmsKeycloakTests.calls(this.meters, "partners");

		assertThat(api.get("/api/notes", partnersToken).statusCode()).isEqualTo(200);
		assertThat(SeveralRealmsKeycloakTests.calls(this.meters, "default")).isEqualTo(notesCalls + 1);
		assertThat(SeveralRealmsKeycloakTests.calls(this.meters, "partners")).isEqualTo(partnersCalls + 1);

		assertThat(api.get("/api/notes", partnersToken).statusCode()).isEqualTo(200);
		assertThat(api.get("/api/notes", partnersToken).statusCode()).isEqualTo(200);
		assertThat(SeveralRealmsKeycloakTests.calls(this.meters, "default")).isEqualTo(notesCalls + 1);
		assertThat(SeveralRealmsKeycloakTests.calls(this.meters, "partners")).isEqualTo(partnersCalls + 1);
	}

	@Test
	void getWhenNotesTokenThenFirstRealmAcceptsWithoutAskingTheSecond() {
		NotesApiClient api = new NotesApiClient(this.port);
		String notesToken = NotesKeycloak.passwordGrant("notes-web", "alice", "").accessToken();
		long partnersCalls = SeveralRealmsKeycloakTests.calls(this.meters, "partners");

		assertThat(api.get("/api/notes", notesToken).statusCode()).isEqualTo(200);
		assertThat(SeveralRealmsKeycloakTests.calls(this.meters, "partners")).isEqualTo(partnersCalls);
	}

}
