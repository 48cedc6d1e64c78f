package io.github.tokenintrospection.contract;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The notes API running on one stack, called as its clients do.
 */
final class RunningStack implements AutoCloseable {

	private final Stack stack;

	private final ConfigurableApplicationContext context;

	private final int port;

	RunningStack(Stack stack, ConfigurableApplicationContext context) {
		this.stack = stack;
		this.context = context;
		this.port = ((WebServerApplicationContext) context).getWebServer().getPort();
	}

	Stack stack() {
		return this.stack;
	}

	/** The application's port on localhost. */
	int port() {
		return this.port;
	}

	<T> T bean(Class<T> type) {
		return this.context.getBean(type);
	}

	/**
	 * Sends {@code GET path} with the token as a bearer token, and waits for the answer.
	 */
	HttpResponse<String> get(String path, String token) {
		return BearerRequests.get(this.port, path, token);
	}

	/** Sends {@code GET path} with a bearer token and further headers, and waits. */
	HttpResponse<String> get(String path, String token, Map<String, String> headers) {
		return BearerRequests.getAsync(this.port, path, token, headers).join();
	}

	CompletableFuture<HttpResponse<String>> getAsync(String path, String token) {
		return BearerRequests.getAsync(this.port, path, token);
	}

	/** Sends a request without a token (the actuator's), and waits for the answer. */
	HttpResponse<String> send(String method, String path, @Nullable String json) {
		return BearerRequests.send(this.port, method, path, json);
	}

	/** Sends a request with a bearer token (the actuator's), and waits for the answer. */
	HttpResponse<String> send(String method, String path, @Nullable String json, @Nullable String bearer) {
		return BearerRequests.send(this.port, method, path, json, bearer);
	}

	String[] beanNamesForType(Class<?> type) {
		return this.context.getBeanNamesForType(type);
	}

	@Override
	public void close() {
		this.context.close();
	}

}
