package io.github.tokenintrospection.sample;

import java.net.http.HttpResponse;

import io.github.tokenintrospection.client.RestClientIntrospectionClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a client of the notes API sees when the service introspects in a given way.
 */
final class IntrospectionOutcomes {

	private IntrospectionOutcomes() {
	}

	/** A valid token gets through, with exactly one introspection call. */
	static void assertAccepted(int port, RestClientIntrospectionClient client, String accessToken) {
		long before = client.requestCount();
		HttpResponse<String> response = new NotesApiClient(port).get("/api/notes", accessToken);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		assertThat(client.requestCount()).isEqualTo(before + 1);
	}

	/**
	 * The authorization server refuses the resource server itself: every request gets 503
	 * (never 401 or 500) and nothing is cached, so each request asks again.
	 */
	static void assertUnavailableAndNotCached(int port, RestClientIntrospectionClient client, String accessToken) {
		long before = client.requestCount();
		NotesApiClient api = new NotesApiClient(port);
		for (int i = 0; i < 2; i++) {
			HttpResponse<String> response = api.get("/api/notes", accessToken);
			assertThat(response.statusCode()).isEqualTo(503);
			assertThat(response.body()).contains("temporarily_unavailable");
		}
		assertThat(client.requestCount()).isEqualTo(before + 2);
	}

}
