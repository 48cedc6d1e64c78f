package io.github.tokenintrospection.sample;

import java.time.Instant;

import io.github.tokenintrospection.test.AutoConfigureIntrospectionAnswers;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

import static io.github.tokenintrospection.test.TokenIntrospectionRequestPostProcessors.introspectionAnswer;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The notes controller's rules with the sample's own application.yml and security
 * configuration, and introspection answers written here instead of Keycloak's: the
 * starter's validation (issuer, audience, expiry) and its role mapping run as in
 * production.
 */
@WebMvcTest(NotesController.class)
@Import({ SecurityConfiguration.class, NoteRepository.class })
@AutoConfigureIntrospectionAnswers
class NotesControllerMockMvcTests {

	@Autowired
	MockMvc mvc;

	NotesAnswers answers;

	@Autowired
	void issuer(@Value("${keycloak.url}/realms/${keycloak.realm}") String issuer) {
		this.answers = new NotesAnswers(issuer);
	}

	@Test
	void getWhenReadScopeThen200() throws Exception {
		this.mvc.perform(get("/api/notes").with(introspectionAnswer(this.answers.bob("profile notes:read"))))
			.andExpect(status().isOk());
	}

	@Test
	void getWhenReadScopeMissingThen403() throws Exception {
		this.mvc.perform(get("/api/notes").with(introspectionAnswer(this.answers.bob("profile"))))
			.andExpect(status().isForbidden());
	}

	@Test
	void getWhenExpiredThen401() throws Exception {
		String expired = this.answers.answer("bob", "notes:read", "notes-api", Instant.now().minusSeconds(3600), "",
				"");

		this.mvc.perform(get("/api/notes").with(introspectionAnswer(expired))).andExpect(status().isUnauthorized());
	}

	@Test
	void getWhenAudienceIsNotTheNotesApiThen401() throws Exception {
		String otherAudience = this.answers.answer("bob", "notes:read", "billing-api", Instant.now().plusSeconds(300),
				"", "");

		this.mvc.perform(get("/api/notes").with(introspectionAnswer(otherAudience)))
			.andExpect(status().isUnauthorized());
	}

	@Test
	void postWhenWriteScopeAndEditorRoleThen201WithPreferredUsernameAsAuthor() throws Exception {
		this.mvc
			.perform(post("/api/notes").with(introspectionAnswer(this.answers.aliceEditor("notes:read notes:write")))
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"text\":\"buy milk\"}"))
			.andExpect(status().isCreated())
			.andExpect(jsonPath("$.author").value("alice"));
	}

	@Test
	void postWhenWriteScopeWithoutEditorRoleThen403() throws Exception {
		this.mvc
			.perform(post("/api/notes").with(introspectionAnswer(this.answers.bob("notes:read notes:write")))
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"text\":\"buy milk\"}"))
			.andExpect(status().isForbidden());
	}

	@Test
	void deleteWhenAdminRealmRoleThen404ForAnUnknownNote() throws Exception {
		this.mvc.perform(delete("/api/notes/999").with(introspectionAnswer(this.answers.bob("notes:read", "admin"))))
			.andExpect(status().isNotFound());
	}

	@Test
	void deleteWhenNoAdminRealmRoleThen403() throws Exception {
		this.mvc.perform(delete("/api/notes/999").with(introspectionAnswer(this.answers.bob("notes:read"))))
			.andExpect(status().isForbidden());
	}

}
