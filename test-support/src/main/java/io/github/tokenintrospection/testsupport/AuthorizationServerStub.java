package io.github.tokenintrospection.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * An introspection endpoint on loopback whose behaviour tests switch at will: healthy,
 * answering any fault a {@link MockResponse} can express (status, body, delay, dropped or
 * truncated connection), or not listening at all (connection refused) and back again on
 * the same port. Counts the calls it receives per token.
 */
public final class AuthorizationServerStub implements AutoCloseable {

	/** Active, scope {@code read}, far from expiry. */
	public static final String ACTIVE = "{\"active\":true,\"sub\":\"alice\",\"exp\":4102444800,"
			+ "\"token_type\":\"Bearer\",\"scope\":\"read\"}";

	private static final Function<String, MockResponse> HEALTHY = (token) -> json(200,
			token.startsWith("inactive") ? "{\"active\":false}" : ACTIVE);

	private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

	private volatile Function<String, MockResponse> answer = HEALTHY;

	private volatile MockWebServer server;

	private final int port = freePort();

	public AuthorizationServerStub() {
		start();
	}

	public String url() {
		return "http://127.0.0.1:" + this.port + "/introspect";
	}

	/** Answers every request with the given response. */
	public void answer(MockResponse response) {
		this.answer = (token) -> response;
	}

	/** Answers by token. */
	public void answer(Function<String, MockResponse> answer) {
		this.answer = answer;
	}

	/**
	 * Answers like a working server: active, except for tokens starting with "inactive".
	 */
	public void healthy() {
		this.answer = HEALTHY;
		start();
	}

	/** Stops listening, so that connections are refused, until {@link #healthy()}. */
	public synchronized void refuseConnections() {
		if (this.server != null) {
			this.server.close();
			this.server = null;
		}
	}

	/** Returns how many introspection requests carried the token. */
	public int calls(String token) {
		AtomicInteger count = this.calls.get(token);
		return (count != null) ? count.get() : 0;
	}

	/** Returns how many introspection requests arrived in all. */
	public int totalCalls() {
		int total = 0;
		for (AtomicInteger count : this.calls.values()) {
			total += count.get();
		}
		return total;
	}

	@Override
	public synchronized void close() {
		refuseConnections();
	}

	private synchronized void start() {
		if (this.server != null) {
			return;
		}
		MockWebServer server = new MockWebServer();
		server.setDispatcher(new Dispatcher() {
			@Override
			public MockResponse dispatch(RecordedRequest request) {
				String token = token(request);
				AuthorizationServerStub.this.calls.computeIfAbsent(token, (key) -> new AtomicInteger())
					.incrementAndGet();
				return AuthorizationServerStub.this.answer.apply(token);
			}
		});
		try {
			// An explicit port, so that MockWebServer sets SO_REUSEADDR and a restart can
			// bind
			// the port again while closed connections linger in TIME_WAIT.
			server.start(InetAddress.getLoopbackAddress(), this.port);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.server = server;
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public static MockResponse json(int code, String body) {
		return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(body).build();
	}

	private static String token(RecordedRequest request) {
		String body = (request.getBody() != null) ? request.getBody().utf8() : "";
		for (String pair : body.split("&")) {
			if (pair.startsWith("token=")) {
				return URLDecoder.decode(pair.substring("token=".length()), StandardCharsets.UTF_8);
			}
		}
		return "";
	}

}
