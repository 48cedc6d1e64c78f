package io.github.tokenintrospection.sample;

import io.github.tokenintrospection.client.RestClientIntrospectionClient;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A token revoked at Keycloak stops working once its cache entry's TTL has passed.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "token-introspection.cache.ttl=2s")
@Import(NotesKeycloakConfiguration.class)
class RevocationKeycloakTests {

	@LocalServerPort
	int port;

	@Autowired
	RestClientIntrospectionClient introspectionClient;

	@Test
	void getWhenTokenRevokedAtKeycloakThenUnauthorizedAfterCacheTtl() throws InterruptedException {
		NotesApiClient api = new NotesApiClient(this.port);
		String token = NotesKeycloak.passwordGrant("notes-web", "bob", "").accessToken();
		assertThat(api.get("/api/notes", token).statusCode()).isEqualTo(200);

		NotesKeycloak.revoke(token, "notes-web");
		assertThat(NotesKeycloak.introspect(token).get("active").booleanValue()).isFalse();
		// Within the TTL the cached result still stands: the TTL bounds revocation
		// latency.
		long callsBefore = this.introspectionClient.requestCount();
		assertThat(api.get("/api/notes", token).statusCode()).isEqualTo(200);
		assertThat(this.introspectionClient.requestCount()).isEqualTo(callsBefore);

		Thread.sleep(2_500);
		assertThat(api.get("/api/notes", token).statusCode()).isEqualTo(401);
		assertThat(this.introspectionClient.requestCount()).isEqualTo(callsBefore + 1);
	}

}
