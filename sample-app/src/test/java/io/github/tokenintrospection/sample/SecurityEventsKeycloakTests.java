package io.github.tokenintrospection.sample;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import io.github.tokenintrospection.internal.events.MicrometerSecurityEventListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeEach;
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
 * Revocation pushed by the real Keycloak: its Shared Signals transmitter (the {@code ssf}
 * feature) pushes CAEP events to the notes API's receiver, which evicts the cached
 * answers of the session or user at once. The cache TTL is ten minutes here: what ends a
 * revoked token's life in these tests is the event.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "token-introspection.cache.ttl=10m", "token-introspection.security-events.enabled=true",
				"token-introspection.security-events.audience=" + KeycloakSecurityEvents.AUDIENCE,
				"token-introspection.security-events.push.authorization="
						+ SecurityEventsKeycloakTests.TRANSMITTER_AUTHORIZATION })
@Import(NotesKeycloakConfiguration.class)
class SecurityEventsKeycloakTests {

	static final String TRANSMITTER_AUTHORIZATION = "Bearer keycloak-transmitter-secret";

	private static final String NOTES = "/api/notes";

	/** The outbox is drained every second; allow for a busy machine. */
	private static final Duration DELIVERY = Duration.ofSeconds(60);

	@LocalServerPort
	int port;

	@Autowired
	MeterRegistry meters;

	@DynamicPropertySource
	static void transmitter(DynamicPropertyRegistry registry) {
		registry.add("token-introspection.security-events.issuer", NotesKeycloak::realmUrl);
	}

	@BeforeEach
	void stream() {
		KeycloakSecurityEvents.streamTo(KeycloakSecurityEvents.RECEIVER_CLIENT_ID, this.port,
				TRANSMITTER_AUTHORIZATION);
	}

	@Test
	void keycloakWhenUserLoggedOutThenSessionRevokedDeliveredAndTheCachedTokenRefusedAtOnce() {
		NotesApiClient api = new NotesApiClient(this.port);
		String token = NotesKeycloak.passwordGrant("notes-web", "erin", "").accessToken();
		assertThat(api.get(NOTES, token).statusCode()).isEqualTo(200);
		assertThat(api.get(NOTES, token).statusCode()).as("cached").isEqualTo(200);
		long calls = calls();

		KeycloakSecurityEvents.logOut("erin");

		await("session-revoked delivered").atMost(DELIVERY).until(() -> evictions("session-revoked") >= 1);
		HttpResponse<String> afterLogout = api.get(NOTES, token);
		assertThat(afterLogout.statusCode()).isEqualTo(401);
		assertThat(calls()).as("introspected again, long before the cache TTL").isEqualTo(calls + 1);
	}

	@Test
	void keycloakWhenPasswordResetThenEveryTokenOfTheUserIntrospectedAgainAndOtherUsersStayCached() {
		NotesApiClient api = new NotesApiClient(this.port);
		List<String> frank = List.of(NotesKeycloak.passwordGrant("notes-web", "frank", "").accessToken(),
				NotesKeycloak.passwordGrant("notes-web", "frank", "").accessToken());
		String bob = NotesKeycloak.passwordGrant("notes-web", "bob", "").accessToken();
		frank.forEach((token) -> assertThat(api.get(NOTES, token).statusCode()).isEqualTo(200));
		assertThat(api.get(NOTES, bob).statusCode()).isEqualTo(200);
		long calls = calls();

		KeycloakSecurityEvents.resetPassword("frank");

		await("credential-change delivered").atMost(DELIVERY).until(() -> evictions("credential-change") >= 1);
		frank.forEach((token) -> api.get(NOTES, token));
		assertThat(api.get(NOTES, bob).statusCode()).isEqualTo(200);
		assertThat(calls()).as("both of frank's tokens, not bob's").isEqualTo(calls + 2);
	}

	private double evictions(String event) {
		Counter counter = this.meters.find(MicrometerSecurityEventListener.EVENTS)
			.tags("event", event, "outcome", "evicted")
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

	private long calls() {
		return SeveralRealmsKeycloakTests.calls(this.meters, "default");
	}

}
