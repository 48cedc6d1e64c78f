package io.github.tokenintrospection.web;

import java.net.http.HttpResponse;

import io.github.tokenintrospection.contract.BearerRequests;
import io.github.tokenintrospection.contract.NotesApplications;
import io.github.tokenintrospection.testsupport.AuthorizationServerStub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static io.github.tokenintrospection.testsupport.AuthorizationServerStub.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The servlet stack's part of the error contract that the reactive stack has no twin for:
 * an application's own security filter chain gets the starter's introspector and its 503.
 * What both stacks promise is in {@code contract.ErrorContractTests}.
 */
@SpringBootTest(classes = NotesApplications.ServletWithOwnSecurityFilterChain.class,
		webEnvironment = WebEnvironment.RANDOM_PORT)
class ServletErrorContractTests {

	private static final String OPAQUETOKEN = "spring.security.oauth2.resourceserver.opaquetoken.";

	private static final AuthorizationServerStub authorizationServer = new AuthorizationServerStub();

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void introspection(DynamicPropertyRegistry registry) {
		authorizationServer.answer((token) -> switch (token) {
			case "read-token" -> json(200, AuthorizationServerStub.ACTIVE);
			case "server-error-token" -> json(500, "{\"error\":\"server_error\"}");
			default -> json(200, "{\"active\":false}");
		});
		registry.add(OPAQUETOKEN + "introspection-uri", authorizationServer::url);
		registry.add(OPAQUETOKEN + "client-id", () -> "notes-api");
		registry.add(OPAQUETOKEN + "client-secret", () -> "s3cret");
	}

	@AfterAll
	static void stopAuthorizationServer() {
		authorizationServer.close();
	}

	@Test
	void getWhenActiveTokenWithScopeThen200() {
		assertThat(get("read-token").statusCode()).isEqualTo(200);
	}

	@Test
	void getWhenInactiveTokenThen401() {
		assertThat(get("inactive-token").statusCode()).isEqualTo(401);
	}

	@Test
	void getWhenAuthorizationServerAnswers500Then503WithJson() {
		HttpResponse<String> response = get("server-error-token");

		assertThat(response.statusCode()).isEqualTo(503);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
		assertThat(response.body()).contains("\"error\":\"temporarily_unavailable\"");
	}

	private HttpResponse<String> get(String token) {
		return BearerRequests.get(this.port, "/notes", token);
	}

}
