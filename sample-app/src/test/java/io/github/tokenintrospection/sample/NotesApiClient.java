package io.github.tokenintrospection.sample;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * Calls the notes API on its real HTTP port, the way a client would.
 */
final class NotesApiClient {

	private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	private final String baseUrl;

	NotesApiClient(int port) {
		this.baseUrl = "http://localhost:" + port;
	}

	HttpResponse<String> get(String path, String accessToken) {
		return send(request(path, accessToken).GET());
	}

	/** {@code GET path} with a DPoP-bound token and its proof (RFC 9449). */
	HttpResponse<String> getWithDPoP(String path, String accessToken, String proof) {
		return send(HttpRequest.newBuilder(URI.create(this.baseUrl + path))
			.header("Authorization", "DPoP " + accessToken)
			.header("DPoP", proof)
			.GET());
	}

	/** The URL a DPoP proof names as {@code htu} for a path. */
	String url(String path) {
		return this.baseUrl + path;
	}

	HttpResponse<String> post(String path, String accessToken, String json) {
		return send(request(path, accessToken).header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json)));
	}

	HttpResponse<String> delete(String path, String accessToken) {
		return send(request(path, accessToken).DELETE());
	}

	private HttpRequest.Builder request(String path, String accessToken) {
		HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(this.baseUrl + path));
		if (accessToken != null) {
			builder.header("Authorization", "Bearer " + accessToken);
		}
		return builder;
	}

	private HttpResponse<String> send(HttpRequest.Builder request) {
		try {
			return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
