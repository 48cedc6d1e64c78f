package io.github.tokenintrospection.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import org.springframework.util.Assert;

/**
 * A JUnit extension that runs a local stub authorization server: its RFC 7662
 * introspection endpoint answers the JSON the test registered for a token, and
 * {@code {"active":false}} for any other token. For integration tests that run the
 * application with its real HTTP introspection client: <pre class="code">
 * &#064;SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
 * class OrdersIntegrationTests {
 *
 *     &#064;RegisterExtension
 *     static final StubAuthorizationServer authorizationServer = new StubAuthorizationServer();
 *
 *     &#064;DynamicPropertySource
 *     static void authorizationServer(DynamicPropertyRegistry registry) {
 *         registry.add("spring.security.oauth2.resourceserver.opaquetoken.introspection-uri",
 *                 authorizationServer::introspectionUri);
 *     }
 *
 *     &#064;Test
 *     void ordersWhenReadScopeThen200() {
 *         String token = authorizationServer.registerAnswer("{\"active\":true,\"scope\":\"orders:read\"}");
 *         // call the application with "Authorization: Bearer " + token
 *     }
 *
 * }
 * </pre> The server listens on a free port of {@code 127.0.0.1}; plain http to a loopback
 * address is accepted by the starter without
 * {@code token-introspection.allow-insecure-http}. It accepts any client authentication.
 * Registered as a static field, it runs for the test class; as an instance field, for
 * each test. Answers and call counts are cleared before each test.
 */
public final class StubAuthorizationServer
		implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback {

	private static final String INTROSPECTION_PATH = "/introspect";

	private static final String INACTIVE = "{\"active\":false}";

	private static final int MAX_REQUEST_BYTES = 64 * 1024;

	private final Map<String, String> answers = new ConcurrentHashMap<>();

	private final Map<String, AtomicInteger> callsPerToken = new ConcurrentHashMap<>();

	private final AtomicInteger calls = new AtomicInteger();

	private @Nullable HttpServer server;

	private boolean startedForOneTest;

	/**
	 * Returns the URI of the introspection endpoint, starting the server if needed; the
	 * value for
	 * {@code spring.security.oauth2.resourceserver.opaquetoken.introspection-uri}.
	 * @return the endpoint, {@code http://127.0.0.1:<port>/introspect}
	 */
	public synchronized String introspectionUri() {
		return "http://127.0.0.1:" + start().getAddress().getPort() + INTROSPECTION_PATH;
	}

	/**
	 * Registers an answer under a fresh token, which no other test uses (so no
	 * application cache can hold an answer for it).
	 * @param json the introspection response body to send, for example
	 * {@code {"active":true,"scope":"orders:read","exp":1893456000}}
	 * @return the token to present as {@code Authorization: Bearer <token>}
	 */
	public String registerAnswer(String json) {
		String token = IntrospectionAnswers.newToken();
		registerAnswer(token, json);
		return token;
	}

	/**
	 * Registers (or replaces) the answer for a given token, for example to revoke it with
	 * {@code {"active":false}}. The application may have cached the earlier answer.
	 * @param token the token
	 * @param json the introspection response body to send
	 */
	public void registerAnswer(String token, String json) {
		Assert.hasText(token, "token must not be empty");
		Assert.hasText(json, "json must not be empty");
		this.answers.put(token, json);
	}

	/**
	 * Returns how many introspection requests the server received in the current test.
	 * @return the number of requests
	 */
	public int introspectionCalls() {
		return this.calls.get();
	}

	/**
	 * Returns how many introspection requests for one token the server received in the
	 * current test.
	 * @param token the token
	 * @return the number of requests for it
	 */
	public int introspectionCalls(String token) {
		AtomicInteger count = this.callsPerToken.get(token);
		return (count != null) ? count.get() : 0;
	}

	@Override
	public synchronized void beforeAll(ExtensionContext context) {
		start();
	}

	@Override
	public synchronized void beforeEach(ExtensionContext context) {
		if (this.server == null) {
			this.startedForOneTest = true;
		}
		start();
		this.answers.clear();
		this.callsPerToken.clear();
		this.calls.set(0);
	}

	@Override
	public synchronized void afterEach(ExtensionContext context) {
		if (this.startedForOneTest) {
			stop();
		}
	}

	@Override
	public synchronized void afterAll(ExtensionContext context) {
		stop();
	}

	private synchronized HttpServer start() {
		if (this.server == null) {
			try {
				HttpServer httpServer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
						0);
				httpServer.createContext(INTROSPECTION_PATH, this::introspect);
				httpServer.start();
				this.server = httpServer;
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Could not start the stub authorization server", ex);
			}
		}
		return this.server;
	}

	private synchronized void stop() {
		if (this.server != null) {
			this.server.stop(0);
			this.server = null;
		}
		this.startedForOneTest = false;
	}

	private void introspect(HttpExchange exchange) throws IOException {
		try (exchange) {
			if (!"POST".equals(exchange.getRequestMethod())) {
				send(exchange, 405, "{\"error\":\"invalid_request\"}");
				return;
			}
			String token = formValue(readBody(exchange.getRequestBody()), "token");
			if (token == null) {
				send(exchange, 400, "{\"error\":\"invalid_request\"}");
				return;
			}
			this.calls.incrementAndGet();
			this.callsPerToken.computeIfAbsent(token, (key) -> new AtomicInteger()).incrementAndGet();
			send(exchange, 200, this.answers.getOrDefault(token, INACTIVE));
		}
	}

	private static String readBody(InputStream body) throws IOException {
		byte[] bytes = body.readNBytes(MAX_REQUEST_BYTES);
		return new String(bytes, StandardCharsets.UTF_8);
	}

	private static @Nullable String formValue(String form, String name) {
		for (String pair : form.split("&")) {
			int equals = pair.indexOf('=');
			if (equals > 0 && name.equals(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8))) {
				return URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
			}
		}
		return null;
	}

	private static void send(HttpExchange exchange, int status, String json) throws IOException {
		byte[] body = json.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().set("Content-Type", "application/json");
		exchange.sendResponseHeaders(status, body.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(body);
		}
	}

}
