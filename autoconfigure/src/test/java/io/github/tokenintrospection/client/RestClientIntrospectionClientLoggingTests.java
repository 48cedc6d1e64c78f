package io.github.tokenintrospection.client;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;

import io.github.tokenintrospection.client.authentication.ClientAuthentications;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.security.oauth2.server.resource.introspection.BadOpaqueTokenException;
import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionException;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The error logged when the introspection endpoint rejects the resource server's own
 * credentials: said once, and again only after a request has succeeded in between.
 */
@ExtendWith(OutputCaptureExtension.class)
class RestClientIntrospectionClientLoggingTests {

	private static final String MESSAGE = "rejected this resource server's client authentication";

	private final MockWebServer server = new MockWebServer();

	@BeforeEach
	void startServer() throws IOException {
		this.server.start();
	}

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	@Test
	void introspectWhenCredentialsRejectedRepeatedlyThenErrorLoggedOnceUntilASuccess(CapturedOutput output) {
		this.server.enqueue(json(401, "{\"error\":\"invalid_client\"}"));
		this.server.enqueue(json(401, "{\"error\":\"invalid_client\"}"));
		this.server.enqueue(json(200, "{\"active\":true}"));
		this.server.enqueue(json(401, "{\"error\":\"invalid_client\"}"));
		RestClientIntrospectionClient client = client();

		assertServerFault(catchThrowable(() -> client.introspect("token-1")));
		assertServerFault(catchThrowable(() -> client.introspect("token-2")));
		assertThat(occurrences(output.getAll())).isEqualTo(1);
		assertThat(output.getAll()).contains("HTTP 401");

		assertThat(client.introspect("token-3").isActive()).isTrue();
		assertThat(occurrences(output.getAll())).isEqualTo(1);

		assertServerFault(catchThrowable(() -> client.introspect("token-4")));
		assertThat(occurrences(output.getAll())).isEqualTo(2);
	}

	@Test
	void introspectWhenForbiddenThenErrorLogged(CapturedOutput output) {
		this.server.enqueue(json(403, "{}"));

		assertServerFault(catchThrowable(() -> client().introspect("token-1")));

		assertThat(occurrences(output.getAll())).isEqualTo(1);
		assertThat(output.getAll()).contains("HTTP 403");
	}

	@Test
	void introspectWhenServerErrorThenNoCredentialsErrorLogged(CapturedOutput output) {
		this.server.enqueue(json(500, "{}"));

		assertServerFault(catchThrowable(() -> client().introspect("token-1")));

		assertThat(occurrences(output.getAll())).isZero();
	}

	private static void assertServerFault(Throwable thrown) {
		assertThat(thrown).isInstanceOf(OAuth2IntrospectionException.class)
			.isNotInstanceOf(BadOpaqueTokenException.class);
	}

	private static int occurrences(String output) {
		int count = 0;
		for (int index = output.indexOf(MESSAGE); index >= 0; index = output.indexOf(MESSAGE, index + 1)) {
			count++;
		}
		return count;
	}

	private static MockResponse json(int code, String body) {
		return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(body).build();
	}

	private RestClientIntrospectionClient client() {
		URI uri = this.server.url("/introspect").uri();
		HttpClient httpClient = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.followRedirects(HttpClient.Redirect.NEVER)
			.build();
		RestClient restClient = RestClient.builder()
			.requestFactory(new JdkClientHttpRequestFactory(httpClient))
			.build();
		return new RestClientIntrospectionClient(restClient, () -> uri,
				ClientAuthentications.clientSecretBasic("notes-api", "wrong"), "access_token");
	}

}
