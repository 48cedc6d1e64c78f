package io.github.tokenintrospection.sample;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.tokenintrospection.client.RestClientIntrospectionClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keycloak stops answering in the middle of a test (its container is paused: connections
 * are accepted, nothing answers) and comes back, while the notes API keeps running.
 */
class OutageKeycloakTests {

	/** Longer than the read timeout below, so that waiting for Keycloak times out. */
	private static final String READ_TIMEOUT = "token-introspection.read-timeout=1s";

	@Nested
	@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = { READ_TIMEOUT,
			// Two failures open the circuit breaker, for two seconds, then one probe
			// decides.
			"token-introspection.resilience.circuit-breaker.sliding-window-size=2",
			"token-introspection.resilience.circuit-breaker.minimum-number-of-calls=2",
			"token-introspection.resilience.circuit-breaker.wait-duration-in-open-state=2s",
			"token-introspection.resilience.circuit-breaker.permitted-number-of-calls-in-half-open-state=1" })
	@Import(NotesKeycloakConfiguration.class)
	class Unavailable {

		@LocalServerPort
		int port;

		@Autowired
		RestClientIntrospectionClient introspectionClient;

		@Autowired
		CircuitBreaker circuitBreaker;

		@BeforeEach
		void closeCircuitBreaker() {
			this.circuitBreaker.reset();
		}

		@Test
		void getWhenKeycloakPausedThen503WithRetryAfterAndFastFailuresThen200OnceItIsBack() throws Exception {
			NotesApiClient api = new NotesApiClient(this.port);
			// Tokens are issued before the outage and not used yet: none is in the cache.
			String first = NotesKeycloak.passwordGrant("notes-web", "bob", "").accessToken();
			String second = NotesKeycloak.passwordGrant("notes-web", "bob", "").accessToken();
			String third = NotesKeycloak.passwordGrant("notes-web", "bob", "").accessToken();
			Instant openedAt;
			pauseKeycloak();
			try {
				assertServiceUnavailable(api.get("/api/notes", first), "5");
				assertServiceUnavailable(api.get("/api/notes", second), "5");
				openedAt = Instant.now();
				assertThat(this.circuitBreaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);

				long callsBefore = this.introspectionClient.requestCount();
				HttpResponse<String> fastFailure = api.get("/api/notes", third);
				assertThat(fastFailure.statusCode()).isEqualTo(503);
				assertThat(fastFailure.headers().firstValue("Retry-After"))
					.hasValueSatisfying((seconds) -> assertThat(Integer.parseInt(seconds)).isBetween(1, 2));
				assertThat(this.introspectionClient.requestCount()).isEqualTo(callsBefore);
			}
			finally {
				unpauseKeycloak();
			}
			// The circuit breaker lets a probe through only after its cool-down; that
			// probe is the
			// first request once Keycloak is back, and it succeeds.
			sleepUntil(openedAt.plus(Duration.ofMillis(2_200)));
			long callsBefore = this.introspectionClient.requestCount();
			HttpResponse<String> recovered = api.get("/api/notes", third);
			assertThat(recovered.statusCode()).as(recovered.headers().map().toString()).isEqualTo(200);
			assertThat(this.introspectionClient.requestCount()).isEqualTo(callsBefore + 1);
			assertThat(this.circuitBreaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
			assertThat(api.get("/api/notes", first).statusCode()).isEqualTo(200);
		}

	}

	@Nested
	@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = { READ_TIMEOUT, "token-introspection.resilience.stale-if-error.enabled=true",
					"token-introspection.cache.ttl=1s" })
	@Import(NotesKeycloakConfiguration.class)
	class StaleIfError {

		@LocalServerPort
		int port;

		@Autowired
		CircuitBreaker circuitBreaker;

		@BeforeEach
		void closeCircuitBreaker() {
			this.circuitBreaker.reset();
		}

		@Test
		void getWhenKeycloakPausedThenRecentlyValidatedTokenAcceptedAndMarkedStaleOthers503() throws Exception {
			NotesApiClient api = new NotesApiClient(this.port);
			String validated = NotesKeycloak.passwordGrant("notes-web", "bob", "").accessToken();
			String neverSeen = NotesKeycloak.passwordGrant("notes-web", "bob", "").accessToken();
			HttpResponse<String> fresh = api.get("/api/notes", validated);
			assertThat(fresh.statusCode()).as(fresh.headers().map().toString()).isEqualTo(200);
			assertThat(fresh.headers().firstValue("X-Token-Introspection-Stale")).isEmpty();
			// Past the cache TTL, so that the next request has to ask Keycloak.
			Thread.sleep(1_500);
			pauseKeycloak();
			try {
				HttpResponse<String> stale = api.get("/api/notes", validated);
				assertThat(stale.statusCode()).isEqualTo(200);
				assertThat(stale.headers().firstValue("X-Token-Introspection-Stale")).isPresent();

				assertServiceUnavailable(api.get("/api/notes", neverSeen), "5");
			}
			finally {
				unpauseKeycloak();
			}
			HttpResponse<String> recovered = api.get("/api/notes", neverSeen);
			assertThat(recovered.statusCode()).isEqualTo(200);
			assertThat(recovered.headers().firstValue("X-Token-Introspection-Stale")).isEmpty();
		}

	}

	private static void assertServiceUnavailable(HttpResponse<String> response, String retryAfter) {
		assertThat(response.statusCode()).isEqualTo(503);
		assertThat(response.headers().firstValue("Retry-After")).hasValue(retryAfter);
		assertThat(response.body()).contains("\"error\":\"temporarily_unavailable\"");
	}

	private static void pauseKeycloak() {
		NotesKeycloak.pause();
	}

	private static void unpauseKeycloak() {
		NotesKeycloak.unpause();
	}

	private static void sleepUntil(Instant instant) throws InterruptedException {
		Duration wait = Duration.between(Instant.now(), instant);
		if (!wait.isNegative()) {
			Thread.sleep(wait.toMillis());
		}
	}

}
