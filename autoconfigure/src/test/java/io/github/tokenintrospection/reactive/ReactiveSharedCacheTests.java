package io.github.tokenintrospection.reactive;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Principal;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import io.github.tokenintrospection.testsupport.RedisServer;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two WebFlux instances on Netty sharing a real Redis (BlockHound watches their event loops
 * and Reactor's threads): a token introspected through one is served by the other without
 * a call, and concurrent first requests on one instance share one call.
 */
class ReactiveSharedCacheTests {

	private static final String OPAQUETOKEN = "spring.security.oauth2.resourceserver.opaquetoken.";

	private static final CountingDispatcher dispatcher = new CountingDispatcher();

	private static final HttpClient httpClient = HttpClient.newHttpClient();

	private static RedisServer redisServer;

	private static MockWebServer authorizationServer;

	private static ConfigurableApplicationContext instanceA;

	private static ConfigurableApplicationContext instanceB;

	@BeforeAll
	static void start() throws IOException {
		redisServer = RedisServer.start();
		authorizationServer = new MockWebServer();
		authorizationServer.setDispatcher(dispatcher);
		authorizationServer.start();
		instanceA = startInstance();
		instanceB = startInstance();
	}

	@AfterAll
	static void stop() {
		for (AutoCloseable resource : new AutoCloseable[] { instanceA, instanceB, authorizationServer, redisServer }) {
			try {
				if (resource != null) {
					resource.close();
				}
			}
			catch (Exception ex) {
				// Close the others anyway.
			}
		}
	}

	@Test
	void getWhenTokenIntrospectedThroughOneInstanceThenOtherServesItWithoutCall() {
		HttpResponse<String> first = get(instanceA, "shared-token");
		assertThat(first.statusCode()).isEqualTo(200);
		assertThat(dispatcher.calls("shared-token")).isEqualTo(1);
		// A loaded result is written to Redis after the answer, in the background.
		awaitSharedEntry("shared-token");

		HttpResponse<String> second = get(instanceB, "shared-token");

		assertThat(second.statusCode()).isEqualTo(200);
		assertThat(second.body()).isEqualTo("notes of alice");
		assertThat(dispatcher.calls("shared-token")).isEqualTo(1);
	}

	@Test
	void getWhenManyConcurrentFirstRequestsOnOneInstanceThenOneCall() {
		List<CompletableFuture<HttpResponse<String>>> responses = IntStream.range(0, 20)
			.mapToObj((i) -> getAsync(instanceA, "slow-token"))
			.toList();

		assertThat(responses).allSatisfy((response) -> assertThat(response.join().statusCode()).isEqualTo(200));
		assertThat(dispatcher.calls("slow-token")).isEqualTo(1);
	}

	@Test
	void getWhenInactiveTokenThen401FromBothInstances() {
		assertThat(get(instanceA, "inactive-token").statusCode()).isEqualTo(401);
		assertThat(get(instanceB, "inactive-token").statusCode()).isEqualTo(401);
	}

	private static void awaitSharedEntry(String token) {
		StringRedisTemplate redis = instanceA.getBean(StringRedisTemplate.class);
		String key = "token-introspection:active:" + sha256Hex(token);
		long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
		while (!Boolean.TRUE.equals(redis.hasKey(key))) {
			assertThat(System.nanoTime()).as("entry in Redis within 5 s").isLessThan(deadline);
			Thread.onSpinWait();
		}
	}

	private static String sha256Hex(String token) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static ConfigurableApplicationContext startInstance() {
		return new SpringApplicationBuilder(ReactiveNotesApplication.class).web(WebApplicationType.REACTIVE)
			.properties("server.port=0", "token-introspection.cache.redis.enabled=true",
					"spring.data.redis.port=" + redisServer.port(),
					// A busy test machine may take longer than the default for the first calls
					// (connecting); a timed-out call would switch Redis off for a while.
					"token-introspection.cache.redis.timeout=5s",
					OPAQUETOKEN + "introspection-uri=" + authorizationServer.url("/introspect"),
					OPAQUETOKEN + "client-id=notes-api", OPAQUETOKEN + "client-secret=s3cret")
			.run();
	}

	private static HttpResponse<String> get(ConfigurableApplicationContext instance, String token) {
		return getAsync(instance, token).join();
	}

	private static CompletableFuture<HttpResponse<String>> getAsync(ConfigurableApplicationContext instance,
			String token) {
		String port = instance.getEnvironment().getProperty("local.server.port");
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/notes"))
			.header("Authorization", "Bearer " + token)
			.GET()
			.build();
		return httpClient.sendAsync(request, HttpResponse.BodyHandlers.ofString());
	}

	/** Answers by token and counts the calls per token. */
	static class CountingDispatcher extends Dispatcher {

		private static final String ACTIVE = "{\"active\":true,\"sub\":\"alice\",\"exp\":4102444800,"
				+ "\"token_type\":\"Bearer\",\"scope\":\"read\"}";

		private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

		int calls(String token) {
			AtomicInteger count = this.calls.get(token);
			return (count != null) ? count.get() : 0;
		}

		@Override
		public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
			String token = token(request);
			this.calls.computeIfAbsent(token, (key) -> new AtomicInteger()).incrementAndGet();
			return switch (token) {
				case "shared-token" -> json(ACTIVE);
				case "slow-token" -> {
					// Long enough for every concurrent request to arrive while the call is open.
					Thread.sleep(500);
					yield json(ACTIVE);
				}
				default -> json("{\"active\":false}");
			};
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

		private static MockResponse json(String body) {
			return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json").body(body).build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(NotesController.class)
	static class ReactiveNotesApplication {

		@Bean
		NettyReactiveWebServerFactory nettyReactiveWebServerFactory() {
			// Netty, not Tomcat (also on the test class path): event loops that BlockHound watches.
			return new NettyReactiveWebServerFactory();
		}

	}

	@RestController
	static class NotesController {

		@GetMapping("/notes")
		Mono<String> notes(Principal principal) {
			return Mono.just("notes of " + principal.getName());
		}

	}

}
