package io.github.tokenintrospection.sample;

import java.net.http.HttpResponse;

import io.github.tokenintrospection.cache.IntrospectionCacheControl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Keycloak's signed {@code jwt} member, required: the notes-api client has Keycloak's
 * attribute {@code client.introspection.response.allow.jwt.claim.enabled}, so asked with
 * {@code Accept: application/jwt} Keycloak adds the token's claims signed by the realm
 * key to each active answer; the starter verifies them against the realm's JWKS, binds
 * them to the token by its {@code jti}, and accepts the token on them. A lightweight
 * token's request works as a full token's does, and the audit trail says
 * {@code format=jwt}.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
		"token-introspection.signed-answers.mode=require",
		"token-introspection.signed-answers.format=keycloak-jwt-member",
		"token-introspection.signed-answers.issuer=${keycloak.url}/realms/${keycloak.realm}",
		"token-introspection.signed-answers.jwks-uri=${keycloak.url}/realms/${keycloak.realm}/protocol/openid-connect/certs" })
@Import(NotesKeycloakConfiguration.class)
@ExtendWith(OutputCaptureExtension.class)
class KeycloakJwtMemberKeycloakTests {

	@LocalServerPort
	int port;

	@Test
	void getWhenLightweightTokenThenAcceptedOnKeycloaksSignedClaims(CapturedOutput output) {
		String token = NotesKeycloak.passwordGrant("notes-web-lightweight", "alice", "").accessToken();

		HttpResponse<String> response = new NotesApiClient(this.port).get("/api/notes", token);

		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		String fingerprint = IntrospectionCacheControl.fingerprint(token);
		await().untilAsserted(() -> assertThat(output.getAll())
			.containsPattern("decision=accepted reason=none cache=miss path=introspection fingerprint=" + fingerprint
					+ " .* format=jwt "));
		assertThat(output.getAll()).doesNotContain(token);
	}

	@Test
	void getWhenFullTokenWithoutWriteScopeThen403OnKeycloaksSignedClaims() {
		NotesApiClient api = new NotesApiClient(this.port);
		String token = NotesKeycloak.passwordGrant("notes-web", "bob", "").accessToken();

		assertThat(api.get("/api/notes", token).statusCode()).isEqualTo(200);
		assertThat(api.post("/api/notes", token, "{\"text\":\"x\"}").statusCode()).isEqualTo(403);
	}

}
