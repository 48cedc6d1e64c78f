package io.github.tokenintrospection.sample;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;

import io.github.tokenintrospection.testsupport.DPoPProofs;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * DPoP-bound tokens of the real Keycloak (DPoP is on by default in 26.x): a token
 * obtained with a proof is bound to the client's key ({@code cnf.jkt} in Keycloak's
 * introspection answer), and works with a valid proof of that key only. The same
 * scenarios run on WebFlux in {@link ReactiveDPoPKeycloakTests}.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@Import(NotesKeycloakConfiguration.class)
class DPoPKeycloakTests {

	private static final String NOTES = "/api/notes";

	@LocalServerPort
	int port;

	@Autowired
	MeterRegistry meters;

	private final DPoPProofs client = DPoPProofs.generate();

	@Test
	void keycloakWhenTokenObtainedWithProofThenIntrospectionAnswerBindsItToTheKey() {
		String token = NotesKeycloak.dpopPasswordGrant("notes-web", "alice", this.client);

		JsonNode answer = NotesKeycloak.introspect(token);

		assertThat(answer.path("active").booleanValue()).isTrue();
		assertThat(answer.path("cnf").path("jkt").stringValue()).isEqualTo(this.client.thumbprint());
	}

	@Test
	void getWhenValidProofThen200AndEveryOtherPresentation401() {
		NotesApiClient api = new NotesApiClient(this.port);
		String token = NotesKeycloak.dpopPasswordGrant("notes-web", "alice", this.client);
		String proof = this.client.proof("GET", api.url(NOTES), token);

		HttpResponse<String> valid = api.getWithDPoP(NOTES, token, proof);
		HttpResponse<String> replayed = api.getWithDPoP(NOTES, token, proof);
		HttpResponse<String> asBearer = api.get(NOTES, token);
		HttpResponse<String> otherKey = api.getWithDPoP(NOTES, token,
				DPoPProofs.generate().proof("GET", api.url(NOTES), token));

		assertThat(valid.statusCode()).isEqualTo(200);
		assertThat(replayed.statusCode()).isEqualTo(401);
		assertThat(challenge(replayed)).startsWith("DPoP error=\"invalid_dpop_proof\"");
		assertThat(asBearer.statusCode()).isEqualTo(401);
		assertThat(challenge(asBearer)).startsWith("DPoP error=\"invalid_token\"");
		assertThat(otherKey.statusCode()).isEqualTo(401);
		assertThat(challenge(otherKey)).startsWith("DPoP error=\"invalid_token\"");
	}

	@Test
	void getWhenProofForAnotherRequestThen401WithoutAnyIntrospection() {
		NotesApiClient api = new NotesApiClient(this.port);
		String token = NotesKeycloak.dpopPasswordGrant("notes-web", "alice", this.client);
		long before = SeveralRealmsKeycloakTests.calls(this.meters, "default");

		List<HttpResponse<String>> refused = List.of(
				api.getWithDPoP(NOTES, token, this.client.proof("POST", api.url(NOTES), token)),
				api.getWithDPoP(NOTES, token, this.client.proof("GET", api.url("/api/other"), token)),
				api.getWithDPoP(NOTES, token,
						this.client.proof()
							.htm("GET")
							.htu(api.url(NOTES))
							.ath(token)
							.iat(Instant.now().minusSeconds(300))
							.sign()),
				api.getWithDPoP(NOTES, token, this.client.proof("GET", api.url(NOTES), "another-token")),
				api.getWithDPoP(NOTES, token, "junk"));

		assertThat(refused).allSatisfy((response) -> {
			assertThat(response.statusCode()).isEqualTo(401);
			assertThat(challenge(response)).startsWith("DPoP error=\"invalid_dpop_proof\"");
		});
		assertThat(SeveralRealmsKeycloakTests.calls(this.meters, "default")).isEqualTo(before);
	}

	@Test
	void getWhenBearerTokenOfKeycloakThenStill200() {
		NotesApiClient api = new NotesApiClient(this.port);
		String bearer = NotesKeycloak.passwordGrant("notes-web", "alice", "").accessToken();

		assertThat(api.get(NOTES, bearer).statusCode()).isEqualTo(200);
	}

	private static String challenge(HttpResponse<String> response) {
		return response.headers().firstValue("WWW-Authenticate").orElse("");
	}

}
