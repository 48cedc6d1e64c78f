package io.github.tokenintrospection.sample;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.text.ParseException;
import java.time.Duration;
import java.util.Base64;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dasniko.testcontainers.keycloak.KeycloakContainer;
import io.github.tokenintrospection.client.RestClientIntrospectionClient;
import io.github.tokenintrospection.observation.IntrospectionDecision;
import io.github.tokenintrospection.observation.IntrospectionDecision.Path;
import io.github.tokenintrospection.observation.IntrospectionListener;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Keycloak's JWT access tokens verified with the realm's JWKS, next to introspection: an
 * access token is accepted without any introspection call and with the authentication
 * that introspecting it gives; a refresh token, itself a JWT, is refused without a call;
 * while Keycloak does not answer, cached keys keep JWTs working and what must be
 * introspected gets 503; a token signed by an unknown key, an expired one or one for
 * another audience gets 401; a revoked token stops on a path that must introspect; after
 * a realm key rotation, new tokens are verified locally once the JWKS is fetched again.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "token-introspection.jwt.enabled=true",
		"token-introspection.jwt.jwk-set-uri=${keycloak.url}/realms/${keycloak.realm}/protocol/openid-connect/certs",
		"token-introspection.jwt.introspect-paths=/introspected/**",
		"token-introspection.jwt.required-claims=preferred_username", "token-introspection.read-timeout=1s",
		// Expiry tests wait for a 3-second token's exp plus this.
		"token-introspection.validation.clock-skew=1s" })
@Import({ NotesKeycloakConfiguration.class, JwtKeycloakTests.WhoAmI.class })
class JwtKeycloakTests {

	@LocalServerPort
	int port;

	@Autowired
	RestClientIntrospectionClient introspectionClient;

	@Autowired
	Decisions decisions;

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
	void getWhenJwtSignedByKeyNotInRealmJwksThenIntrospectedAndRefused() throws Exception {
		NotesApiClient api = new NotesApiClient(this.port);
		String genuine = NotesKeycloak.passwordGrant("notes-web", "alice", "").accessToken();
		// Keycloak's issuer and claims, signed by a key the realm never published.
		SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("not-in-the-realm-jwks")
			.type(JOSEObjectType.JWT)
			.build(), JWTClaimsSet.parse(payload(genuine)));
		forged.sign(new RSASSASigner(new RSAKeyGenerator(2048).generate()));
		long before = this.introspectionClient.requestCount();

		HttpResponse<String> response = api.get("/local/whoami", forged.serialize());

		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.headers().firstValue("WWW-Authenticate"))
			.hasValueSatisfying((challenge) -> assertThat(challenge).startsWith("Bearer").contains("invalid_token"));
		// An unknown key is the server's to judge: Keycloak says inactive.
		assertThat(this.introspectionClient.requestCount()).isEqualTo(before + 1);
	}

	@Test
	void getWhenKeycloakTokenExpiredThen401WithoutIntrospection() {
		NotesApiClient api = new NotesApiClient(this.port);
		// Lives 3 seconds.
		String token = NotesKeycloak.passwordGrant("notes-web-short-lived", "alice", "").accessToken();
		assertThat(api.get("/local/whoami", token).statusCode()).isEqualTo(200);
		long before = this.introspectionClient.requestCount();

		await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(500))
			.untilAsserted(() -> assertThat(api.get("/local/whoami", token).statusCode()).isEqualTo(401));

		assertThat(this.introspectionClient.requestCount()).isEqualTo(before);
		assertThat(this.decisions.last().path()).isEqualTo(Path.LOCAL);
		assertThat(this.decisions.last().reasons()).contains("expired");
	}

	@Test
	void getWhenKeycloakTokenForAnotherAudienceThen401WithoutIntrospection() {
		NotesApiClient api = new NotesApiClient(this.port);
		String token = NotesKeycloak.passwordGrant("notes-web-other-audience", "alice", "").accessToken();
		assertThat(payload(token)).contains("billing-api").doesNotContain("notes-api");
		long before = this.introspectionClient.requestCount();

		assertThat(api.get("/local/whoami", token).statusCode()).isEqualTo(401);

		assertThat(this.introspectionClient.requestCount()).isEqualTo(before);
		assertThat(this.decisions.last().path()).isEqualTo(Path.LOCAL);
		assertThat(this.decisions.last().reasons()).contains("audience");
	}

	@Test
	void getWhenTokenRevokedAtKeycloakThen401OnPathThatMustIntrospectButAcceptedLocallyElsewhere() {
		NotesApiClient api = new NotesApiClient(this.port);
		String token = NotesKeycloak.passwordGrant("notes-web", "bob", "").accessToken();

		NotesKeycloak.revoke(token, "notes-web");

		assertThat(api.get("/introspected/whoami", token).statusCode()).isEqualTo(401);
		// What the local path means (docs/jwt-and-opaque.md): valid until exp, unless
		// revalidate-after is set.
		assertThat(api.get("/local/whoami", token).statusCode()).isEqualTo(200);
	}

	@Test
	void getWhenRealmKeyRotatedThenNewTokensVerifiedLocallyOnceTheJwksIsFetchedAgain() {
		NotesApiClient api = new NotesApiClient(this.port);
		String before = NotesKeycloak.passwordGrant("notes-web", "alice", "").accessToken();
		assertThat(api.get("/local/whoami", before).statusCode()).isEqualTo(200);
		String rotatedKey = NotesKeycloak.rotateRealmKey();
		try {
			String token = NotesKeycloak.passwordGrant("notes-web", "alice", "").accessToken();
			assertThat(kid(token)).isNotEqualTo(kid(before));

			// Until the rate-limited refetch (at most one per 30 seconds) the unknown key
			// is the server's to judge; then the token is verified here.
			await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
				assertThat(api.get("/local/whoami", token).statusCode()).isEqualTo(200);
				assertThat(this.decisions.last().path()).isEqualTo(Path.LOCAL);
			});
		}
		finally {
			NotesKeycloak.removeRealmKey(rotatedKey);
		}
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

	private static String kid(String token) {
		try {
			return SignedJWT.parse(token).getHeader().getKeyID();
		}
		catch (ParseException ex) {
			throw new IllegalArgumentException("Not a JWS: " + ex.getMessage(), ex);
		}
	}

	private static String header(String token) {
		return new String(Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.'))),
				StandardCharsets.UTF_8);
	}

	@TestConfiguration(proxyBeanMethods = false)
	@Import(WhoAmIController.class)
	static class WhoAmI {

		@Bean
		Decisions decisions() {
			return new Decisions();
		}

	}

	/** The last decision, to tell the local path from introspection. */
	static class Decisions implements IntrospectionListener {

		private volatile IntrospectionDecision last;

		@Override
		public void decisionMade(IntrospectionDecision decision) {
			this.last = decision;
		}

		IntrospectionDecision last() {
			return this.last;
		}

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
