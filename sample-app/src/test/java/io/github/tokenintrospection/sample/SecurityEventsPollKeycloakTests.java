package io.github.tokenintrospection.sample;

import java.time.Duration;

import io.github.tokenintrospection.internal.events.MicrometerSecurityEventListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Poll delivery (RFC 8936) from the real Keycloak, for a resource server the transmitter
 * cannot reach: the notes API asks the stream's poll endpoint every second, with its own
 * client-credentials token, and evicts as the pushed events would.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "token-introspection.cache.ttl=10m", "token-introspection.security-events.enabled=true",
				"token-introspection.security-events.delivery=poll",
				"token-introspection.security-events.audience=" + KeycloakSecurityEvents.AUDIENCE,
				"token-introspection.security-events.poll.interval=1s",
				"token-introspection.security-events.poll.client-id=" + KeycloakSecurityEvents.POLLING_CLIENT_ID,
				"token-introspection.security-events.poll.client-secret="
						+ KeycloakSecurityEvents.POLLING_CLIENT_SECRET,
				"token-introspection.security-events.poll.scope=ssf.read" })
@Import(NotesKeycloakConfiguration.class)
class SecurityEventsPollKeycloakTests {

	@LocalServerPort
	int port;

	@Autowired
	MeterRegistry meters;

	@DynamicPropertySource
	static void transmitter(DynamicPropertyRegistry registry) {
		registry.add("token-introspection.security-events.issuer", NotesKeycloak::realmUrl);
		registry.add("token-introspection.security-events.poll.endpoint", KeycloakSecurityEvents::pollStream);
		registry.add("token-introspection.security-events.poll.token-uri",
				() -> NotesKeycloak.realmUrl() + "/protocol/openid-connect/token");
	}

	@Test
	void keycloakWhenUserLoggedOutThenPolledSessionRevokedEvictsAndTheCachedTokenIsRefused() {
		NotesApiClient api = new NotesApiClient(this.port);
		String token = NotesKeycloak.passwordGrant("notes-web", "grace", "").accessToken();
		assertThat(api.get("/api/notes", token).statusCode()).isEqualTo(200);
		assertThat(api.get("/api/notes", token).statusCode()).as("cached").isEqualTo(200);

		KeycloakSecurityEvents.logOut("grace");

		await("session-revoked polled").atMost(Duration.ofSeconds(60)).until(() -> evictions() >= 1);
		assertThat(api.get("/api/notes", token).statusCode()).isEqualTo(401);
	}

	private double evictions() {
		Counter counter = this.meters.find(MicrometerSecurityEventListener.EVENTS)
			.tags("event", "session-revoked", "outcome", "evicted")
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

}
