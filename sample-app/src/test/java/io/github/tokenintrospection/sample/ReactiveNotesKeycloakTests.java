package io.github.tokenintrospection.sample;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.tokenintrospection.internal.reactive.ReactiveValidatingOpaqueTokenIntrospector;
import io.github.tokenintrospection.reactive.WebClientIntrospectionClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.oauth2.server.resource.introspection.ReactiveOpaqueTokenIntrospector;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A WebFlux variant of the notes API, with the sample's application.yml, against the real
 * Keycloak; BlockHound (installed for every test) fails any blocking call on Netty's
 * event loops.
 */
@SpringBootTest(classes = ReactiveNotesKeycloakTests.ReactiveNotesApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.main.web-application-type=reactive", "token-introspection.read-timeout=1s" })
@Import(NotesKeycloakConfiguration.class)
class ReactiveNotesKeycloakTests {

	@LocalServerPort
	int port;

	@Autowired
	ReactiveOpaqueTokenIntrospector introspector;

	@Autowired
	WebClientIntrospectionClient introspectionClient;

	@Autowired
	CircuitBreaker circuitBreaker;

	NotesApiClient api;

	@BeforeEach
	void setUp() {
		this.api = new NotesApiClient(this.port);
		this.circuitBreaker.reset();
	}

	@Test
	void blockHoundIsInstalled() {
		assertThatThrownBy(() -> Mono.fromCallable(() -> {
			Thread.sleep(1);
			return "slept";
		}).subscribeOn(Schedulers.parallel()).block(Duration.ofSeconds(5)))
			.hasRootCauseInstanceOf(BlockingOperationError.class);
	}

	@Test
	void getWhenTokenHasReadScopeThen200() {
		assertThat(this.introspector).isInstanceOf(ReactiveValidatingOpaqueTokenIntrospector.class);
		String token = NotesKeycloak.passwordGrant("notes-web", "bob", "").accessToken();

		HttpResponse<String> response = this.api.get("/api/notes", token);

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("notes of bob");
	}

	@Test
	void postWhenTokenLacksWriteScopeThen403() {
		String token = NotesKeycloak.passwordGrant("notes-web", "bob", "").accessToken();

		HttpResponse<String> response = this.api.post("/api/notes", token, "{\"text\":\"buy milk\"}");

		assertThat(response.statusCode()).isEqualTo(403);
		assertThat(response.headers().firstValue("WWW-Authenticate"))
			.hasValueSatisfying((value) -> assertThat(value).contains("insufficient_scope"));
	}

	@Test
	void postWhenTokenHasWriteScopeThen200() {
		String token = NotesKeycloak.passwordGrant("notes-web", "alice", "notes:write").accessToken();

		assertThat(this.api.post("/api/notes", token, "{\"text\":\"buy milk\"}").statusCode()).isEqualTo(200);
	}

	@Test
	void getWhenGarbageTokenThen401WithWwwAuthenticate() {
		HttpResponse<String> response = this.api.get("/api/notes", "garbage-but-well-formed-token");

		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.headers().firstValue("WWW-Authenticate"))
			.hasValueSatisfying((value) -> assertThat(value).contains("invalid_token"));
	}

	@Test
	void getWhenManyConcurrentRequestsWithOneTokenThenOneIntrospectionCall() throws Exception {
		String token = NotesKeycloak.passwordGrant("notes-web", "bob", "").accessToken();
		int clients = 16;
		CyclicBarrier start = new CyclicBarrier(clients);
		long callsBefore = this.introspectionClient.requestCount();
		ExecutorService executor = Executors.newFixedThreadPool(clients);
		try {
			List<Future<Integer>> statuses = new ArrayList<>();
			for (int i = 0; i < clients; i++) {
				statuses.add(executor.submit(() -> {
					start.await();
					return new NotesApiClient(this.port).get("/api/notes", token).statusCode();
				}));
			}
			for (Future<Integer> status : statuses) {
				assertThat(status.get()).isEqualTo(200);
			}
		}
		finally {
			executor.shutdownNow();
		}
		assertThat(this.introspectionClient.requestCount() - callsBefore).isEqualTo(1);
	}

	@Test
	void getWhenKeycloakPausedThen503WithRetryAfterThen200OnceItIsBack() {
		String token = NotesKeycloak.passwordGrant("notes-web", "bob", "").accessToken();
		NotesKeycloak.pause();
		try {
			HttpResponse<String> response = this.api.get("/api/notes", token);

			assertThat(response.statusCode()).isEqualTo(503);
			assertThat(response.headers().firstValue("Retry-After")).hasValue("5");
			assertThat(response.headers().firstValue("Content-Type"))
				.hasValueSatisfying((value) -> assertThat(value).startsWith("application/json"));
			assertThat(response.body()).contains("\"error\":\"temporarily_unavailable\"");
		}
		finally {
			NotesKeycloak.unpause();
		}
		// Nothing was cached: once Keycloak answers, the same token is accepted.
		assertThat(this.api.get("/api/notes", token).statusCode()).isEqualTo(200);
	}

	/** The notes API's security rules as a WebFlux application. */
	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(ReactiveNotesController.class)
	static class ReactiveNotesApplication {

		@Bean
		NettyReactiveWebServerFactory nettyReactiveWebServerFactory() {
			// Netty, not Tomcat (also on the class path): event loops that BlockHound
			// watches.
			return new NettyReactiveWebServerFactory(0);
		}

		@Bean
		SecurityWebFilterChain securityWebFilterChain(ServerHttpSecurity http) {
			http.authorizeExchange(
					(exchanges) -> exchanges.pathMatchers(org.springframework.http.HttpMethod.POST, "/api/notes")
						.hasAuthority("SCOPE_notes:write")
						.pathMatchers("/api/notes")
						.hasAuthority("SCOPE_notes:read")
						.anyExchange()
						.authenticated());
			http.oauth2ResourceServer((resourceServer) -> resourceServer.opaqueToken(Customizer.withDefaults()));
			return http.build();
		}

	}

	@RestController
	static class ReactiveNotesController {

		@GetMapping("/api/notes")
		Mono<String> notes(java.security.Principal principal) {
			return Mono.just("notes of " + principal.getName());
		}

		@PostMapping("/api/notes")
		Mono<String> add(java.security.Principal principal) {
			return Mono.just("added by " + principal.getName());
		}

	}

}
