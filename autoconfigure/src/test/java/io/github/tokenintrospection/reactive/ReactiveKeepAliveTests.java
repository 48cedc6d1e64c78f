package io.github.tokenintrospection.reactive;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

import io.github.tokenintrospection.testsupport.LoopbackIntrospectionStub;
import io.github.tokenintrospection.testsupport.RestoreLoggerLevels;
import io.netty.handler.timeout.ReadTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many requests over a few kept-alive connections to a WebFlux server on Reactor Netty,
 * mixing accepted and rejected tokens, and lookups that complete on the request's event
 * loop (cache hits, negative hits, syntax rejections) with those that wait for the
 * authorization server (misses).
 * <p>
 * Reactor Netty 1.3.7 (Spring Boot 4.1.1) stops reading a kept-alive connection in such
 * traffic (reactor-netty #4361, fixed in 1.3.8): the next request waits for the client's
 * timeout. On 1.3.7 this test fails with dozens of timed-out requests out of a few
 * thousand, whichever thread the lookups complete on (200s and 401s from cache hits alone
 * are enough; 200s alone are not). The build uses Reactor Netty 1.3.8 (Spring Boot
 * 4.1.2), the version the starter requires of reactive applications (README, "Reactive
 * (WebFlux) quick start").
 */
@SpringBootTest(classes = ReactiveKeepAliveTests.KeepAliveApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "spring.main.web-application-type=reactive",
				// Thousands of decisions: the audit trail would only slow the test down.
				"logging.level.io.github.tokenintrospection.audit=warn" })
// The audit trail back at its level for later test classes in this JVM.
@ExtendWith(RestoreLoggerLevels.class)
class ReactiveKeepAliveTests {

	private static final int REQUESTS = 3000;

	private static final int CONNECTIONS = 2;

	/**
	 * A stalled connection waits for the client's timeout, however long: five seconds
	 * tell a stall from a request that a busy two-core machine merely served late.
	 */
	private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

	private static final LoopbackIntrospectionStub authorizationServer = new LoopbackIntrospectionStub(
			(token) -> token.startsWith("active"));

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void introspection(DynamicPropertyRegistry registry) {
		registry.add("spring.security.oauth2.resourceserver.opaquetoken.introspection-uri", authorizationServer::url);
		registry.add("spring.security.oauth2.resourceserver.opaquetoken.client-id", () -> "notes-api");
		registry.add("spring.security.oauth2.resourceserver.opaquetoken.client-secret", () -> "s3cret");
	}

	@AfterAll
	static void stopAuthorizationServer() {
		authorizationServer.close();
	}

	@Test
	void getWhenHitsAndMissesShareKeptAliveConnectionsThenNoRequestWaitsForTheTimeout() {
		ConnectionProvider connections = ConnectionProvider.builder("keep-alive-test")
			.maxConnections(CONNECTIONS)
			.pendingAcquireMaxCount(-1)
			.build();
		LoopResources loops = LoopResources.create("keep-alive-test-client", 1, true);
		try {
			HttpClient client = HttpClient.create(connections)
				.runOn(loops)
				.baseUrl("http://127.0.0.1:" + this.port)
				.keepAlive(true)
				.responseTimeout(REQUEST_TIMEOUT);
			List<String> tokens = IntStream.range(0, REQUESTS).mapToObj(ReactiveKeepAliveTests::token).toList();
			Map<String, Integer> expected = new HashMap<>();
			tokens.forEach((token) -> expected.merge(expectedOutcome(token), 1, Integer::sum));

			Map<String, Integer> outcomes = new ConcurrentHashMap<>();
			Flux.fromIterable(tokens)
				.flatMap((token) -> get(client, token), CONNECTIONS * 2)
				.doOnNext((outcome) -> outcomes.merge(outcome, 1, Integer::sum))
				.blockLast(Duration.ofSeconds(60));

			// A stalled connection shows as "timeout" outcomes instead of the expected
			// answers.
			assertThat(outcomes).isEqualTo(expected);
			assertThat(expected).containsOnlyKeys("200", "401");
		}
		finally {
			connections.dispose();
			loops.dispose();
		}
	}

	/**
	 * Every fifth request a new active token (a miss), every fifth a new or repeated
	 * inactive one, every tenth a malformed one; the rest repeat a few active ones
	 * (hits).
	 */
	private static String token(int i) {
		return switch (i % 10) {
			case 0 -> "active-new-" + i;
			case 5 -> "active-new-" + i;
			case 3 -> "inactive-" + (i % 50);
			case 7 -> "inactive-new-" + i;
			case 9 -> "malformed-" + "x".repeat(5000);
			default -> "active-repeated-" + (i % 4);
		};
	}

	private static String expectedOutcome(String token) {
		return token.startsWith("active") ? "200" : "401";
	}

	private static Mono<String> get(HttpClient client, String token) {
		return client.headers((headers) -> headers.set("Authorization", "Bearer " + token))
			.get()
			.uri("/notes")
			.responseSingle((response, body) -> body.asString()
				.defaultIfEmpty("")
				.map((ignored) -> Integer.toString(response.status().code())))
			.onErrorResume(ReadTimeoutException.class, (ex) -> Mono.just("timeout"));
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(NotesController.class)
	static class KeepAliveApplication {

		@Bean
		NettyReactiveWebServerFactory nettyReactiveWebServerFactory() {
			return new NettyReactiveWebServerFactory();
		}

	}

	@RestController
	static class NotesController {

		@GetMapping("/notes")
		Mono<String> notes() {
			return Mono.just("notes");
		}

	}

}
