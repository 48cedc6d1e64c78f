package io.github.tokenintrospection.contract;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

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
		return getAsync(port, path, token, Map.of());
	}

	/**
	 * Sends {@code GET path} with the token as a bearer token and further headers (which
	 * replace the {@code Authorization} header when they name it).
	 * @param port the application's port on localhost
	 * @param path the path
	 * @param token the bearer token
	 * @param headers further request headers
	 * @return the response, once it arrives
	 */
	public static CompletableFuture<HttpResponse<String>> getAsync(int port, String path, String token,
			Map<String, String> headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
			.header("Authorization", "Bearer " + token)
			.GET();
		// Set, not added: a test may replace the Authorization header itself.
		headers.forEach(request::setHeader);
		return httpClient.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	/**
	 * Sends a request without a token, as an operator calls the actuator, and waits for
	 * the answer.
	 * @param port the application's port on localhost
	 * @param method the HTTP method
	 * @param path the path
	 * @param json the JSON body, or {@code null} for none
	 * @return the response
	 */
	public static HttpResponse<String> send(int port, String method, String path, @Nullable String json) {
		return send(port, method, path, json, null);
	}

	/**
	 * Sends a request, as an operator calls the actuator, and waits for the answer.
	 * @param port the application's port on localhost
	 * @param method the HTTP method
	 * @param path the path
	 * @param json the JSON body, or {@code null} for none
	 * @param bearer the bearer token, or {@code null} for none
	 * @return the response
	 */
	public static HttpResponse<String> send(int port, String method, String path, @Nullable String json,
			@Nullable String bearer) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
		if (bearer != null) {
			request.header("Authorization", "Bearer " + bearer);
		}
		if (json != null) {
			request.header("Content-Type", "application/json")
				.method(method, HttpRequest.BodyPublishers.ofString(json));
		}
		else {
			request.method(method, HttpRequest.BodyPublishers.noBody());
		}
		return httpClient.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString()).join();
	}

}
