package io.github.tokenintrospection.sample;

import java.net.http.HttpResponse;
import java.util.List;

import io.github.tokenintrospection.cache.IntrospectionCacheControl;
import io.github.tokenintrospection.client.RestClientIntrospectionClient;
import io.github.tokenintrospection.internal.observation.MicrometerIntrospectionListener;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What operators see and can do, against the real Keycloak: metrics, health, the audit
 * trail and the cache endpoint (for the realm role admin only).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "token-introspection.read-timeout=1s")
@Import(NotesKeycloakConfiguration.class)
@ExtendWith(OutputCaptureExtension.class)
class OperationsKeycloakTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@LocalServerPort
	int port;

	@Autowired
	MeterRegistry meters;

	@Autowired
	RestClientIntrospectionClient introspectionClient;

	@Test
	void metricsWhenTenRequestsWithOneTokenThenOneCallAndNineCacheHits() {
		NotesApiClient api = new NotesApiClient(this.port);
		String token = NotesKeycloak.passwordGrant("notes-web", "bob", "").accessToken();
		double calls = count(MicrometerIntrospectionListener.CALLS, "outcome", "active");
		double misses = decisions("accepted", "miss");
		double hits = decisions("accepted", "hit");

		for (int i = 0; i < 10; i++) {
			assertThat(api.get("/api/notes", token).statusCode()).isEqualTo(200);
		}

		assertThat(count(MicrometerIntrospectionListener.CALLS, "outcome", "active")).isEqualTo(calls + 1);
		assertThat(decisions("accepted", "miss")).isEqualTo(misses + 1);
		assertThat(decisions("accepted", "hit")).isEqualTo(hits + 9);
	}

	@Test
	void metricsEndpointWhenAdminThenOkAndWhenNotAdminThenForbidden() {
		NotesApiClient api = new NotesApiClient(this.port);
		String admin = NotesKeycloak.passwordGrant("notes-web", "alice", "").accessToken();
		String user = NotesKeycloak.passwordGrant("notes-web", "bob", "").accessToken();

		HttpResponse<String> metric = api.get("/actuator/metrics/" + MicrometerIntrospectionListener.DECISIONS, admin);

		assertThat(metric.statusCode()).isEqualTo(200);
		assertThat(metric.body()).contains("\"decision\"").contains("\"cache\"");
		assertThat(api.get("/actuator/metrics", user).statusCode()).isEqualTo(403);
		assertThat(api.get("/actuator/tokenintrospection", user).statusCode()).isEqualTo(403);
	}

	@Test
	void evictEndpointWhenCallerLacksTheWriteAuthorityThenForbidden() {
		NotesApiClient api = new NotesApiClient(this.port);
		String user = NotesKeycloak.passwordGrant("notes-web", "bob", "").accessToken();

		assertThat(api.post("/actuator/tokenintrospection", user, "{\"token\":\"" + user + "\"}").statusCode())
			.isEqualTo(403);
	}

	@Test
	void evictEndpointWhenTokenEvictedThenNextRequestIntrospectsAgain() {
		NotesApiClient api = new NotesApiClient(this.port);
		String admin = NotesKeycloak.passwordGrant("notes-web", "alice", "").accessToken();
		String token = NotesKeycloak.passwordGrant("notes-web", "bob", "").accessToken();
		api.get("/api/notes", token);
		api.get("/actuator/tokenintrospection", admin);
		long before = this.introspectionClient.requestCount();
		assertThat(api.get("/api/notes", token).statusCode()).isEqualTo(200);
		assertThat(this.introspectionClient.requestCount()).isEqualTo(before);

		HttpResponse<String> evicted = api.post("/actuator/tokenintrospection", admin, "{\"token\":\"" + token + "\"}");

		assertThat(evicted.statusCode()).isEqualTo(200);
		assertThat(evicted.body()).doesNotContain(token);
		assertThat(api.get("/api/notes", token).statusCode()).isEqualTo(200);
		assertThat(this.introspectionClient.requestCount()).isEqualTo(before + 1);
	}

	@Test
	void cacheStatisticsWhenAdminThenSizesAndCounts() {
		NotesApiClient api = new NotesApiClient(this.port);
		String admin = NotesKeycloak.passwordGrant("notes-web", "alice", "").accessToken();

		HttpResponse<String> statistics = api.get("/actuator/tokenintrospection", admin);

		assertThat(statistics.statusCode()).isEqualTo(200);
		JsonNode active = JSON.readTree(statistics.body()).get("active");
		assertThat(active.get("size").asLong()).isPositive();
		assertThat(active.has("hits")).isTrue();
	}

	@Test
	void auditTrailWhenRequestDecidedThenOneLineWithEveryFieldAndNoToken(CapturedOutput output) {
		NotesApiClient api = new NotesApiClient(this.port);
		String token = NotesKeycloak.passwordGrant("notes-web", "bob", "").accessToken();
		String subject = NotesKeycloak.introspect(token).get("sub").stringValue();

		api.get("/api/notes", token);
		api.get("/api/notes", "garbage-" + token.substring(10, 30));

		String accepted = auditLine(output, "decision=accepted", subject);
		assertThat(accepted).contains("reason=none", "cache=miss", "active=true", "client_id=notes-web",
				"sub=" + subject, "notes:read", "aud=");
		assertThat(accepted).containsPattern("fingerprint=[0-9a-f]{12} ");
		assertThat(accepted).containsPattern("aud=[^ ]*notes-api");
		String rejected = auditLine(output, "decision=rejected", "reason=inactive");
		assertThat(rejected).contains("active=false");
		assertThat(output.getAll()).doesNotContain(token).doesNotContain(token.substring(10, 30));
	}

	@Test
	void auditTrailWhenRequestsEndIn200And401And403ThenDecisionAndOutcomeShareTheRequestId(CapturedOutput output) {
		NotesApiClient api = new NotesApiClient(this.port);
		String reader = NotesKeycloak.passwordGrant("notes-web", "bob", "").accessToken();
		String notAdmin = NotesKeycloak.passwordGrant("notes-web", "bob", "").accessToken();
		String revoked = "garbage-" + reader.substring(10, 30);

		assertThat(api.get("/api/notes?limit=5", reader).statusCode()).isEqualTo(200);
		assertThat(api.get("/api/notes", revoked).statusCode()).isEqualTo(401);
		assertThat(api.delete("/api/notes/1", notAdmin).statusCode()).isEqualTo(403);

		assertThat(outcomeLine(output, reader, "decision=accepted"))
			.contains("request=completed status=200 method=GET path=/api/notes denied_rule=none");
		assertThat(outcomeLine(output, revoked, "decision=rejected"))
			.contains("request=completed status=401 method=GET path=/api/notes denied_rule=none");
		assertThat(outcomeLine(output, notAdmin, "decision=accepted"))
			.contains("request=completed status=403 method=DELETE path=/api/notes/{id} denied_rule=hasRole('admin')");
		assertThat(output.getAll()).doesNotContain(reader).doesNotContain(notAdmin).doesNotContain(revoked);
	}

	/**
	 * The outcome line of the request that carried the token, once it is written (after
	 * the response), checked to share its request id with the token's decision line.
	 */
	private static String outcomeLine(CapturedOutput output, String token, String decision) {
		String fingerprint = " fingerprint=" + IntrospectionCacheControl.fingerprint(token) + " ";
		long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
		while (true) {
			List<String> lines = output.getAll().lines().filter((line) -> line.contains(fingerprint)).toList();
			if (lines.size() == 2 || System.nanoTime() > deadline) {
				assertThat(lines).hasSize(2);
				assertThat(lines.get(0)).contains("token-introspection " + decision + " ")
					.contains(" rs_client_id=notes-api ")
					.contains(" format=json ")
					.containsPattern(" endpoint=http\\S+/token/introspect ");
				String requestId = lines.get(0).substring(lines.get(0).indexOf(" request_id=") + 1);
				assertThat(requestId).matches("request_id=\\S+");
				assertThat(lines.get(1)).endsWith(" " + requestId);
				return lines.get(1);
			}
			try {
				Thread.sleep(50);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new AssertionError(ex);
			}
		}
	}

	@Test
	void healthWhenKeycloakUnreachableThenDegradedAndUpAgainOnceItAnswers() {
		NotesApiClient api = new NotesApiClient(this.port);
		String admin = NotesKeycloak.passwordGrant("notes-web", "alice", "").accessToken();
		String first = NotesKeycloak.passwordGrant("notes-web", "bob", "").accessToken();
		String second = NotesKeycloak.passwordGrant("notes-web", "bob", "").accessToken();
		assertThat(healthStatus(api, admin)).isEqualTo("UP");
		NotesKeycloak.pause();
		try {
			assertThat(api.get("/api/notes", first).statusCode()).isEqualTo(503);
			assertThat(healthStatus(api, admin)).isEqualTo("DEGRADED");
		}
		finally {
			NotesKeycloak.unpause();
		}
		assertThat(api.get("/api/notes", second).statusCode()).isEqualTo(200);
		assertThat(healthStatus(api, admin)).isEqualTo("UP");
	}

	private String healthStatus(NotesApiClient api, String adminToken) {
		// The admin token is cached from before the outage: the health call itself needs
		// no
		// introspection.
		HttpResponse<String> health = api.get("/actuator/health", adminToken);
		return JSON.readTree(health.body()).get("components").get("tokenIntrospection").get("status").stringValue();
	}

	private static String auditLine(CapturedOutput output, String... parts) {
		return output.getAll()
			.lines()
			.filter((line) -> line.contains("token-introspection decision="))
			.filter((line) -> java.util.Arrays.stream(parts).allMatch(line::contains))
			.findFirst()
			.orElseThrow(() -> new AssertionError("No audit line with " + String.join(", ", parts)));
	}

	private double count(String name, String tag, String value) {
		io.micrometer.core.instrument.Timer timer = this.meters.find(name).tag(tag, value).timer();
		return (timer != null) ? timer.count() : 0;
	}

	private double decisions(String decision, String cache) {
		return this.meters.find(MicrometerIntrospectionListener.DECISIONS)
			.tag("decision", decision)
			.tag("cache", cache)
			.counters()
			.stream()
			.mapToDouble(io.micrometer.core.instrument.Counter::count)
			.sum();
	}

}
