package io.github.tokenintrospection.sample;

import java.time.Duration;

import io.github.tokenintrospection.client.RestClientIntrospectionClient;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code token-introspection.jwt.revalidate-after} against Keycloak: a Keycloak access
 * token verified locally is also introspected in the background, so that revoking it at
 * Keycloak stops it here too, without any request waiting for Keycloak.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "token-introspection.jwt.enabled=true",
		"token-introspection.jwt.jwk-set-uri=${keycloak.url}/realms/${keycloak.realm}/protocol/openid-connect/certs",
		"token-introspection.jwt.revalidate-after=1s",
		// The background answers are cached like any other: briefly here.
		"token-introspection.cache.ttl=1s" })
@Import(NotesKeycloakConfiguration.class)
class JwtRevalidationKeycloakTests {

	@LocalServerPort
	int port;

	@Autowired
	RestClientIntrospectionClient introspectionClient;

	@Test
	void getWhenTokenRevokedAtKeycloakAfterLocalAcceptanceThen401WithinAboutThePeriod() {
		NotesApiClient api = new NotesApiClient(this.port);
		String token = NotesKeycloak.passwordGrant("notes-web", "bob", "").accessToken();
		long before = this.introspectionClient.requestCount();
		assertThat(api.get("/api/notes", token).statusCode()).isEqualTo(200);
		// Introspected once in the background: active.
		await().untilAsserted(() -> assertThat(this.introspectionClient.requestCount()).isEqualTo(before + 1));
		assertThat(api.get("/api/notes", token).statusCode()).isEqualTo(200);

		NotesKeycloak.revoke(token, "notes-web");

		await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(300))
			.untilAsserted(() -> assertThat(api.get("/api/notes", token).statusCode()).isEqualTo(401));
		assertThat(api.get("/api/notes", token).statusCode()).isEqualTo(401);
	}

}
