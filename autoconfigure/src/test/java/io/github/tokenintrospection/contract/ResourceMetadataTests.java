package io.github.tokenintrospection.contract;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import io.github.tokenintrospection.testsupport.AuthorizationServerStub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static io.github.tokenintrospection.testsupport.AuthorizationServerStub.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Protected resource metadata (RFC 9728), the same on each {@link Stack}: the document at
 * {@code /.well-known/oauth-protected-resource} names the resource, the authorization
 * servers and the scopes, without a token; every 401 names the document in its
 * {@code WWW-Authenticate}; behind a proxy, both URLs follow the forwarded headers.
 */
class ResourceMetadataTests {

	private static final String OPAQUETOKEN = "spring.security.oauth2.resourceserver.opaquetoken.";

	private static final String ISSUER = "https://login.example.com/realms/notes";

	private static final AuthorizationServerStub authorizationServer = new AuthorizationServerStub();

	private static final RunningStacks applications = new RunningStacks(
			Map.of(OPAQUETOKEN + "introspection-uri", authorizationServer.url(), OPAQUETOKEN + "client-id", "notes-api",
					OPAQUETOKEN + "client-secret", "s3cret", "token-introspection.validation.allowed-issuers", ISSUER,
					"token-introspection.resource-metadata.scopes-supported", "notes:read,notes:write",
					"server.forward-headers-strategy", "framework"));

	private static final HttpClient httpClient = HttpClient.newHttpClient();

	private static final JsonMapper json = JsonMapper.builder().build();

	@AfterAll
	static void stop() {
		applications.close();
		authorizationServer.close();
	}

	@ParameterizedTest
	@EnumSource
	void getMetadataWithoutTokenThenDocumentNamesResourceServersAndScopes(Stack stack) throws Exception {
		RunningStack application = applications.on(stack);

		HttpResponse<String> response = send(application, "/.well-known/oauth-protected-resource", Map.of());

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/json"));
		JsonNode document = json.readTree(response.body());
		assertThat(document.path("resource").stringValue()).isEqualTo("http://localhost:" + application.port());
		assertThat(document.path("authorization_servers").values()).extracting(JsonNode::stringValue)
			.containsExactly(ISSUER);
		assertThat(document.path("scopes_supported").values()).extracting(JsonNode::stringValue)
			.containsExactly("notes:read", "notes:write");
		assertThat(document.path("bearer_methods_supported").values()).extracting(JsonNode::stringValue)
			.containsExactly("header");
		// The notes API asks for no client certificate here.
		assertThat(document.path("tls_client_certificate_bound_access_tokens").booleanValue()).isFalse();
		assertThat(document.path("dpop_signing_alg_values_supported").values()).extracting(JsonNode::stringValue)
			.containsExactly("ES256", "ES384", "ES512", "PS256", "PS384", "PS512", "RS256", "RS384", "RS512");
		assertThat(document.has("dpop_bound_access_tokens_required")).isFalse();
	}

	@ParameterizedTest
	@EnumSource
	void getWithInactiveTokenThen401NamingTheMetadata(Stack stack) throws Exception {
		RunningStack application = applications.on(stack);
		authorizationServer.answer((token) -> json(200, "{\"active\":false}"));

		HttpResponse<String> response = application.get("/notes", "revoked-" + stack);

		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.headers().firstValue("WWW-Authenticate"))
			.hasValueSatisfying((challenge) -> assertThat(challenge).startsWith("Bearer")
				.contains("invalid_token")
				.contains("resource_metadata=\"http://localhost:" + application.port()
						+ "/.well-known/oauth-protected-resource\""));
	}

	@ParameterizedTest
	@EnumSource
	void getBehindProxyThenUrlsFollowForwardedHeaders(Stack stack) throws Exception {
		RunningStack application = applications.on(stack);
		authorizationServer.answer((token) -> json(200, "{\"active\":false}"));
		Map<String, String> forwarded = Map.of("X-Forwarded-Proto", "https", "X-Forwarded-Host", "notes.example.com",
				"X-Forwarded-Port", "443");

		HttpResponse<String> document = send(application, "/.well-known/oauth-protected-resource", forwarded);
		HttpResponse<String> unauthorized = send(application, "/notes",
				Map.of("X-Forwarded-Proto", "https", "X-Forwarded-Host", "notes.example.com", "X-Forwarded-Port", "443",
						"Authorization", "Bearer revoked-proxied-" + stack));

		assertThat(json.readTree(document.body()).path("resource").stringValue())
			.isEqualTo("https://notes.example.com");
		assertThat(unauthorized.headers().firstValue("WWW-Authenticate"))
			.hasValueSatisfying((challenge) -> assertThat(challenge)
				.contains("resource_metadata=\"https://notes.example.com/.well-known/oauth-protected-resource\""));
	}

	private static HttpResponse<String> send(RunningStack application, String path, Map<String, String> headers)
			throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest
			.newBuilder(URI.create("http://localhost:" + application.port() + path))
			.GET();
		headers.forEach(request::header);
		return httpClient.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

}
