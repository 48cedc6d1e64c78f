package io.github.tokenintrospection.sample;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.github.tokenintrospection.client.RestClientIntrospectionClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The notes API, configured only by application.yml, against a real Keycloak.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@Import(NotesKeycloakConfiguration.class)
class NotesApiKeycloakTests {

	@LocalServerPort
	int port;

	@Autowired
	RestClientIntrospectionClient introspectionClient;

	NotesApiClient api;

	@BeforeEach
	void setUp() {
		this.api = new NotesApiClient(this.port);
	}

	@Test
	void getWhenTokenHasReadScopeThenOk() {
		String token = NotesKeycloak.passwordGrant("notes-web", "bob", "").accessToken();
		HttpResponse<String> response = this.api.get("/api/notes", token);
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).startsWith("[");
	}

	@Test
	void postWhenEditorRoleAndWriteScopeThenCreatedWithPrincipalName() {
		String token = NotesKeycloak.passwordGrant("notes-web", "alice", "notes:write").accessToken();
		HttpResponse<String> response = this.api.post("/api/notes", token, "{\"text\":\"buy milk\"}");
		assertThat(response.statusCode()).isEqualTo(201);
		assertThat(response.body()).contains("\"author\":\"alice\"");
	}

	@Test
	void postWhenWriteScopeMissingThenForbidden() {
		String token = NotesKeycloak.passwordGrant("notes-web", "alice", "").accessToken();
		HttpResponse<String> response = this.api.post("/api/notes", token, "{\"text\":\"x\"}");
		assertThat(response.statusCode()).isEqualTo(403);
		assertThat(response.headers().firstValue("WWW-Authenticate"))
			.hasValueSatisfying((header) -> assertThat(header).contains("insufficient_scope"));
	}

	@Test
	void postWhenEditorRoleMissingThenForbidden() {
		String token = NotesKeycloak.passwordGrant("notes-web", "bob", "notes:write").accessToken();
		assertThat(this.api.post("/api/notes", token, "{\"text\":\"x\"}").statusCode()).isEqualTo(403);
	}

	@Test
	void deleteWhenRealmRoleThenAllowedOnlyForAdmin() {
		String alice = NotesKeycloak.passwordGrant("notes-web", "alice", "notes:write").accessToken();
		String bob = NotesKeycloak.passwordGrant("notes-web", "bob", "").accessToken();
		assertThat(this.api.delete("/api/notes/1", bob).statusCode()).isEqualTo(403);
		assertThat(this.api.delete("/api/notes/999", alice).statusCode()).isEqualTo(404);
	}

	@Test
	void getWhenGarbageTokenThenUnauthorizedWithInvalidToken() {
		HttpResponse<String> response = this.api.get("/api/notes", "not-a-token-keycloak-knows");
		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.headers().firstValue("WWW-Authenticate"))
			.hasValueSatisfying((header) -> assertThat(header).startsWith("Bearer error=\"invalid_token\""));
	}

	@Test
	void getResourceMetadataThenRealmAndScopesAndThe401NamesIt() {
		HttpResponse<String> metadata = this.api.get("/.well-known/oauth-protected-resource", null);
		HttpResponse<String> unauthorized = this.api.get("/api/notes", "not-a-token-keycloak-knows");

		assertThat(metadata.statusCode()).isEqualTo(200);
		JsonNode document = JsonMapper.builder().build().readTree(metadata.body());
		assertThat(document.path("resource").stringValue()).isEqualTo("http://localhost:" + this.port);
		assertThat(document.path("authorization_servers").values()).extracting(JsonNode::stringValue)
			.containsExactly(NotesKeycloak.realmUrl());
		assertThat(document.path("scopes_supported").values()).extracting(JsonNode::stringValue)
			.containsExactly("notes:read", "notes:write");
		assertThat(unauthorized.headers().firstValue("WWW-Authenticate"))
			.hasValueSatisfying((header) -> assertThat(header).contains(
					"resource_metadata=\"http://localhost:" + this.port + "/.well-known/oauth-protected-resource\""));
	}

	@Test
	void getWhenNoTokenThenUnauthorized() {
		HttpResponse<String> response = this.api.get("/api/notes", null);
		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.headers().firstValue("WWW-Authenticate"))
			.hasValueSatisfying((header) -> assertThat(header).startsWith("Bearer"));
	}

	@Test
	void getWhenTokenExpiresAfterBeingCachedThenUnauthorized() throws InterruptedException {
		String token = NotesKeycloak.passwordGrant("notes-web-short-lived", "bob", "").accessToken();
		Instant expiresAt = Instant.ofEpochSecond(NotesKeycloak.introspect(token).get("exp").longValue());
		assertThat(this.api.get("/api/notes", token).statusCode()).isEqualTo(200);
		long callsBefore = this.introspectionClient.requestCount();
		// Keycloak compares whole seconds: one more second and it calls the token expired
		// too.
		sleepUntil(expiresAt.plusMillis(1_500));
		HttpResponse<String> response = this.api.get("/api/notes", token);
		assertThat(response.statusCode()).isEqualTo(401);
		// The cached entry was not served past exp: Keycloak was asked again.
		assertThat(this.introspectionClient.requestCount()).isEqualTo(callsBefore + 1);
	}

	@Test
	void getWhenSameTokenRepeatedThenOneIntrospectionCall() {
		String token = NotesKeycloak.passwordGrant("notes-web", "bob", "").accessToken();
		long callsBefore = this.introspectionClient.requestCount();
		for (int i = 0; i < 10; i++) {
			assertThat(this.api.get("/api/notes", token).statusCode()).isEqualTo(200);
		}
		assertThat(this.introspectionClient.requestCount()).isEqualTo(callsBefore + 1);
	}

	@Test
	void getWhen32ConcurrentFirstRequestsThenOneIntrospectionCall() throws Exception {
		String token = NotesKeycloak.passwordGrant("notes-web", "bob", "").accessToken();
		long callsBefore = this.introspectionClient.requestCount();
		int clients = 32;
		CyclicBarrier start = new CyclicBarrier(clients);
		ExecutorService executor = Executors.newFixedThreadPool(clients);
		try {
			List<Future<Integer>> statuses = new ArrayList<>();
			for (int i = 0; i < clients; i++) {
				statuses.add(executor.submit(() -> {
					NotesApiClient client = new NotesApiClient(this.port);
					start.await();
					return client.get("/api/notes", token).statusCode();
				}));
			}
			for (Future<Integer> status : statuses) {
				assertThat(status.get()).isEqualTo(200);
			}
		}
		finally {
			executor.shutdownNow();
		}
		assertThat(this.introspectionClient.requestCount()).isEqualTo(callsBefore + 1);
	}

	private static void sleepUntil(Instant instant) throws InterruptedException {
		Duration wait = Duration.between(Instant.now(), instant);
		if (!wait.isNegative()) {
			Thread.sleep(wait.toMillis());
		}
	}

}
