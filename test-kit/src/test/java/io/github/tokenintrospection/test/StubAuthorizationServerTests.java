package io.github.tokenintrospection.test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.mockito.Mockito.mock;

/**
 * The stub authorization server answers RFC 7662 requests from the answers the test
 * registered, and counts them.
 */
class StubAuthorizationServerTests {

	@RegisterExtension
	static final StubAuthorizationServer authorizationServer = new StubAuthorizationServer();

	private final HttpClient http = HttpClient.newHttpClient();

	@Test
	void introspectWhenTokenRegisteredThenAnswersItsJsonAndCountsTheCall() throws Exception {
		String token = authorizationServer.registerAnswer("{\"active\":true,\"scope\":\"orders:read\"}");

		HttpResponse<String> response = introspect(authorizationServer.introspectionUri(), token);

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
		assertThat(response.body()).isEqualTo("{\"active\":true,\"scope\":\"orders:read\"}");
		assertThat(authorizationServer.introspectionCalls(token)).isOne();
		assertThat(authorizationServer.introspectionCalls()).isOne();
	}

	@Test
	void introspectWhenTokenGivenByTheTestThenAnswersTheLatestAnswer() throws Exception {
		authorizationServer.registerAnswer("alice-token", "{\"active\":true}");
		authorizationServer.registerAnswer("alice-token", "{\"active\":false}");

		assertThat(introspect(authorizationServer.introspectionUri(), "alice-token").body())
			.isEqualTo("{\"active\":false}");
	}

	@Test
	void introspectWhenTokenUnknownThenInactiveAndCounted() throws Exception {
		HttpResponse<String> response = introspect(authorizationServer.introspectionUri(), "never-registered");

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("{\"active\":false}");
		assertThat(authorizationServer.introspectionCalls("never-registered")).isOne();
	}

	@Test
	void introspectWhenNotPostThen405AndNotCounted() throws Exception {
		HttpResponse<String> response = this.http.send(
				HttpRequest.newBuilder(URI.create(authorizationServer.introspectionUri())).GET().build(),
				HttpResponse.BodyHandlers.ofString());

		assertThat(response.statusCode()).isEqualTo(405);
		assertThat(authorizationServer.introspectionCalls()).isZero();
	}

	@Test
	void introspectionUriWhenStartedThenLoopbackHttp() {
		assertThat(authorizationServer.introspectionUri()).matches("http://127\\.0\\.0\\.1:[0-9]+/introspect");
	}

	@Test
	void beforeEachWhenAnswersAndCallsFromAnEarlierTestThenClearsThem() throws Exception {
		StubAuthorizationServer server = new StubAuthorizationServer();
		ExtensionContext context = mock(ExtensionContext.class);
		server.beforeAll(context);
		try {
			server.registerAnswer("alice-token", "{\"active\":true}");
			introspect(server.introspectionUri(), "alice-token");
			assertThat(server.introspectionCalls()).isOne();

			server.beforeEach(context);

			assertThat(server.introspectionCalls()).isZero();
			assertThat(introspect(server.introspectionUri(), "alice-token").body()).isEqualTo("{\"active\":false}");
		}
		finally {
			server.afterAll(context);
		}
	}

	@Test
	void afterEachWhenRegisteredForOneTestThenStopsTheServer() throws Exception {
		StubAuthorizationServer server = new StubAuthorizationServer();
		ExtensionContext context = mock(ExtensionContext.class);
		server.beforeEach(context);
		String uri = server.introspectionUri();
		assertThat(introspect(uri, "any").statusCode()).isEqualTo(200);

		server.afterEach(context);

		assertThatExceptionOfType(ConnectException.class).isThrownBy(() -> introspect(uri, "any"));
	}

	private HttpResponse<String> introspect(String uri, String token) throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(URI.create(uri))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(
					"token=" + URLEncoder.encode(token, StandardCharsets.UTF_8) + "&token_type_hint=access_token"))
			.build();
		return this.http.send(request, HttpResponse.BodyHandlers.ofString());
	}

}
