package io.github.tokenintrospection.sample;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.Base64;

import dasniko.testcontainers.keycloak.KeycloakContainer;
import io.github.tokenintrospection.client.RestClientIntrospectionClient;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keycloak's JWT access tokens verified with the realm's JWKS, next to introspection: an
 * access token is accepted without any introspection call and with the authentication
 * that introspecting it gives; a refresh token, itself a JWT, is refused without a call;
 * while Keycloak does not answer, cached keys keep JWTs working and what must be
 * introspected gets 503. Only this class turns the JWT path on.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "token-introspection.jwt.enabled=true",
		"token-introspection.jwt.jwk-set-uri=${keycloak.url}/realms/${keycloak.realm}/protocol/openid-connect/certs",
		"token-introspection.jwt.introspect-paths=/introspected/**",
		"token-introspection.jwt.required-claims=preferred_username", "token-introspection.read-timeout=1s" })
@Import({ NotesKeycloakConfiguration.class, JwtKeycloakTests.WhoAmI.class })
class JwtKeycloakTests {

	@LocalServerPort
	int port;

	@Autowired
	RestClientIntrospectionClient introspectionClient;

	@Test
	void getWhenKeycloakAccessTokenThenAcceptedWithoutIntrospectionAndAsIntrospectionWouldAccept() {
		NotesApiClient api = new NotesApiClient(this.port);
		String token = NotesKeycloak.passwordGrant("notes-web", "alice", "").accessToken();
		assertThat(header(token)).containsPattern("\"typ\"\\s*:\\s*\"JWT\"").contains("\"kid\"");
		long before = this.introspectionClient.requestCount();

		HttpResponse<String> local = api.get("/local/whoami", token);
		HttpResponse<String> notes = api.get("/api/notes", token);

		assertThat(local.statusCode()).isEqualTo(200);
		assertThat(notes.statusCode()).isEqualTo(200);
		assertThat(this.introspectionClient.requestCount()).isEqualTo(before);

		HttpResponse<String> introspected = api.get("/introspected/whoami", token);

		assertThat(this.introspectionClient.requestCount()).isEqualTo(before + 1);
		assertThat(introspected.statusCode()).isEqualTo(200);
		assertThat(local.body()).isEqualTo(introspected.body()).startsWith("alice [").contains("ROLE_admin");
	}

	@Test
	void getWhenLightweightAccessTokenThenIntrospectedAndAccepted() {
		NotesApiClient api = new NotesApiClient(this.port);
		String token = NotesKeycloak.passwordGrant("notes-web-lightweight", "alice", "").accessToken();
		assertThat(payload(token)).doesNotContain("preferred_username");
		long before = this.introspectionClient.requestCount();

		HttpResponse<String> response = api.get("/local/whoami", token);

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).startsWith("alice [").contains("ROLE_admin");
		assertThat(this.introspectionClient.requestCount()).isEqualTo(before + 1);
	}

	@Test
	void getWhenKeycloakRefreshTokenUsedAsBearerThen401WithoutIntrospection() {
		NotesApiClient api = new NotesApiClient(this.port);
		String refreshToken = NotesKeycloak.passwordGrant("notes-web", "bob", "").refreshToken();
		// Keycloak signs its refresh tokens with the realm's HMAC key: refused by
		// algorithm.
		assertThat(header(refreshToken)).containsPattern("\"alg\"\\s*:\\s*\"HS");
		long before = this.introspectionClient.requestCount();

		HttpResponse<String> response = api.get("/api/notes", refreshToken);

		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(this.introspectionClient.requestCount()).isEqualTo(before);
	}

	@Test
	void getWhenKeycloakPausedThenJwtStillAcceptedAndWhatMustBeIntrospected503() {
		NotesApiClient api = new NotesApiClient(this.port);
		// The keys are fetched (and cached) before the outage.
		String warmUp = NotesKeycloak.passwordGrant("notes-web", "bob", "").accessToken();
		assertThat(api.get("/api/notes", warmUp).statusCode()).isEqualTo(200);
		String token = NotesKeycloak.passwordGrant("notes-web", "bob", "").accessToken();
		KeycloakContainer keycloak = NotesKeycloak.container();
		keycloak.getDockerClient().pauseContainerCmd(keycloak.getContainerId()).exec();
		try {
			assertThat(api.get("/api/notes", token).statusCode()).isEqualTo(200);
			assertThat(api.get("/introspected/whoami", token).statusCode()).isEqualTo(503);
		}
		finally {
			keycloak.getDockerClient().unpauseContainerCmd(keycloak.getContainerId()).exec();
		}
	}

	private static String payload(String token) {
		String[] parts = token.split("\\.");
		return new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
	}

	private static String header(String token) {
		return new String(Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.'))),
				StandardCharsets.UTF_8);
	}

	@TestConfiguration(proxyBeanMethods = false)
	@Import(WhoAmIController.class)
	static class WhoAmI {

	}

	/**
	 * The authentication's name and sorted authorities, on a path verified locally and on
	 * one introspected.
	 */
	@RestController
	static class WhoAmIController {

		@GetMapping({ "/local/whoami", "/introspected/whoami" })
		String whoami(Principal principal) {
			Authentication authentication = (Authentication) principal;
			return authentication.getName() + " "
					+ authentication.getAuthorities().stream().map(GrantedAuthority::getAuthority).sorted().toList();
		}

	}

}
