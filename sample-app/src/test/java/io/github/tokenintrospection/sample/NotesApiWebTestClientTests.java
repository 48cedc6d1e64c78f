package io.github.tokenintrospection.sample;

import java.time.Instant;

import io.github.tokenintrospection.test.AutoConfigureIntrospectionAnswers;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.web.reactive.server.WebTestClient;

import static io.github.tokenintrospection.test.TokenIntrospectionWebTestClientConfigurers.introspectionAnswer;

/**
 * The whole notes application on a real port, called with WebTestClient, with
 * introspection answers written here instead of Keycloak's.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@AutoConfigureIntrospectionAnswers
class NotesApiWebTestClientTests {

	@Autowired
	WebTestClient client;

	NotesAnswers answers;

	@Autowired
	void issuer(@Value("${keycloak.url}/realms/${keycloak.realm}") String issuer) {
		this.answers = new NotesAnswers(issuer);
	}

	@Test
	void getWhenReadScopeThen200() {
		this.client.mutateWith(introspectionAnswer(this.answers.bob("profile notes:read")))
			.get()
			.uri("/api/notes")
			.exchange()
			.expectStatus()
			.isOk();
	}

	@Test
	void getWhenReadScopeMissingThen403() {
		this.client.mutateWith(introspectionAnswer(this.answers.bob("profile")))
			.get()
			.uri("/api/notes")
			.exchange()
			.expectStatus()
			.isForbidden();
	}

	@Test
	void getWhenExpiredThen401() {
		String expired = this.answers.answer("bob", "notes:read", "notes-api", Instant.now().minusSeconds(3600), "",
				"");

		this.client.mutateWith(introspectionAnswer(expired))
			.get()
			.uri("/api/notes")
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectHeader()
			.value("WWW-Authenticate",
					(value) -> org.assertj.core.api.Assertions.assertThat(value).contains("invalid_token"));
	}

	@Test
	void getWhenAudienceIsNotTheNotesApiThen401() {
		String otherAudience = this.answers.answer("bob", "notes:read", "billing-api", Instant.now().plusSeconds(300),
				"", "");

		this.client.mutateWith(introspectionAnswer(otherAudience))
			.get()
			.uri("/api/notes")
			.exchange()
			.expectStatus()
			.isUnauthorized();
	}

	@Test
	void postWhenEditorWithWriteScopeThen201WithPreferredUsernameAsAuthor() {
		this.client.mutateWith(introspectionAnswer(this.answers.aliceEditor("notes:read notes:write")))
			.post()
			.uri("/api/notes")
			.header("Content-Type", "application/json")
			.bodyValue("{\"text\":\"buy milk\"}")
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody()
			.jsonPath("$.author")
			.isEqualTo("alice");
	}

}
