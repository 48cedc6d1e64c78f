package io.github.tokenintrospection.sample;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample's {@code two-realms} profile against the real Keycloak: the notes realm is
 * the default server, the partners realm a named server routed by path. The partners
 * realm is reached through a proxy that can be paused, so that it fails alone.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "token-introspection.authorization-servers.partners.read-timeout=1s",
				"token-introspection.authorization-servers.partners.resilience.retry.enabled=false" })
@ActiveProfiles("two-realms")
@Import(NotesKeycloakConfiguration.class)
class SeveralRealmsKeycloakTests {

	private static final PausableProxy partners = new PausableProxy(NotesKeycloak.container().getHttpPort());

	@LocalServerPort
	int port;

	@Autowired
	MeterRegistry meters;

	@DynamicPropertySource
	static void partnersThroughTheProxy(DynamicPropertyRegistry registry) {
		registry.add("token-introspection.authorization-servers.partners.issuer-uri",
				SeveralRealmsKeycloakTests::partnersRealm);
	}

	@AfterAll
	static void stopProxy() {
		partners.close();
	}

	@Test
	void getWhenTokenOfOneRealmThenAcceptedOnItsPathOnly() {
		NotesApiClient api = new NotesApiClient(this.port);
		String notesToken = NotesKeycloak.passwordGrant("notes-web", "alice", "").accessToken();
		String partnersToken = partnersToken();

		assertThat(api.get("/api/notes", notesToken).statusCode()).isEqualTo(200);
		assertThat(api.get("/api/partners/notes", partnersToken).statusCode()).isEqualTo(200);
		assertThat(api.get("/api/partners/notes", notesToken).statusCode()).isEqualTo(401);
		assertThat(api.get("/api/notes", partnersToken).statusCode()).isEqualTo(401);
	}

	@Test
	void getThenMetersSayWhichServerWasCalled() {
		NotesApiClient api = new NotesApiClient(this.port);
		long notesCalls = calls(this.meters, "default");
		long partnersCalls = calls(this.meters, "partners");

		api.get("/api/partners/notes", partnersToken());

		assertThat(calls(this.meters, "partners")).isEqualTo(partnersCalls + 1);
		assertThat(calls(this.meters, "default")).isEqualTo(notesCalls);
	}

	@Test
	void getWhenPartnersRealmPausedThenOnlyItsRequestsGet503() {
		NotesApiClient api = new NotesApiClient(this.port);
		String notesToken = NotesKeycloak.passwordGrant("notes-web", "alice", "").accessToken();
		String partnersToken = partnersToken();
		partners.pause();
		try {
			assertThat(api.get("/api/partners/notes", partnersToken).statusCode()).isEqualTo(503);
			assertThat(api.get("/api/notes", notesToken).statusCode()).isEqualTo(200);
		}
		finally {
			partners.resume();
		}
	}

	static long calls(MeterRegistry meters, String server) {
		return meters.find("token.introspection.calls")
			.tag("server", server)
			.timers()
			.stream()
			.mapToLong(Timer::count)
			.sum();
	}

	private static String partnersRealm() {
		return partners.url() + "/realms/" + NotesKeycloak.PARTNERS_REALM;
	}

	/**
	 * A token of the partners realm, obtained through the proxy, so its iss is the
	 * proxy's.
	 */
	private static String partnersToken() {
		return NotesKeycloak.passwordGrant(partnersRealm(), "partners-web", "carol", "").accessToken();
	}

}
