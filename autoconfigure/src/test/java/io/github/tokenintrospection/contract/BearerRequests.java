package io.github.tokenintrospection.contract;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;

/**
 * Calls the notes API on loopback as its clients do: {@code GET} with a bearer token.
 */
public final class BearerRequests {

	private static final HttpClient httpClient = HttpClient.newHttpClient();

	private BearerRequests() {
	}

	/**
	 * Sends {@code GET path} with the token as a bearer token, and waits for the answer.
	 * @param port the application's port on localhost
	 * @param path the path
	 * @param token the bearer token
	 * @return the response
	 */
	public static HttpResponse<String> get(int port, String path, String token) {
		return getAsync(port, path, token).join();
	}

	/**
	 * Sends {@code GET path} with the token as a bearer token.
	 * @param port the application's port on localhost
	 * @param path the path
	 * @param token the bearer token
	 * @return the response, once it arrives
	 */
	public static CompletableFuture<HttpResponse<String>> getAsync(int port, String path, String token) {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
			.header("Authorization", "Bearer " + token)
			.GET()
			.build();
		return httpClient.sendAsync(request, HttpResponse.BodyHandlers.ofString());
	}

}
