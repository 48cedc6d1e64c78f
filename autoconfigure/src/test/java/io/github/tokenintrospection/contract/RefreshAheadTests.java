package io.github.tokenintrospection.contract;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;

import io.github.tokenintrospection.internal.cache.MicrometerRefreshAheadListener;
import io.github.tokenintrospection.testsupport.AuthorizationServerStub;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static io.github.tokenintrospection.testsupport.AuthorizationServerStub.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code token-introspection.cache.refresh-ahead.*} over HTTP, the same on each
 * {@link Stack}: a token used after half of its 2 s lifetime is introspected again in the
 * background while the request is served from the cache, and the refreshed answer serves
 * the next requests; the meters count it.
 */
class RefreshAheadTests {

	private static final String OPAQUETOKEN = "spring.security.oauth2.resourceserver.opaquetoken.";

	private static final AuthorizationServerStub authorizationServer = new AuthorizationServerStub();

	private static final RunningStacks applications = new RunningStacks(Map.of(OPAQUETOKEN + "introspection-uri",
			authorizationServer.url(), OPAQUETOKEN + "client-id", "notes-api", OPAQUETOKEN + "client-secret", "s3cret",
			"token-introspection.cache.ttl", "2s", "token-introspection.cache.refresh-ahead.enabled", "true",
			"token-introspection.cache.refresh-ahead.fraction", "0.5", "token-introspection.cache.refresh-ahead.jitter",
			"0"));

	@AfterAll
	static void stop() {
		applications.close();
		authorizationServer.close();
	}

	@BeforeEach
	void answer() {
		authorizationServer.answer((token) -> json(200, AuthorizationServerStub.ACTIVE));
	}

	@ParameterizedTest
	@EnumSource
	void getWhenUsedAfterHalfItsLifetimeThenRefreshedInTheBackgroundAndNoRequestWaits(Stack stack)
			throws InterruptedException {
		RunningStack application = applications.on(stack);
		String token = "refreshed-" + stack.name().toLowerCase(Locale.ROOT);
		MeterRegistry meters = application.bean(MeterRegistry.class);
		long start = System.nanoTime();
		assertThat(application.get("/notes", token).statusCode()).isEqualTo(200);
		assertThat(authorizationServer.calls(token)).isEqualTo(1);

		Thread.sleep(1_100);
		assertThat(application.get("/notes", token).statusCode()).isEqualTo(200);

		await().atMost(Duration.ofSeconds(5)).until(() -> authorizationServer.calls(token) == 2);
		await().atMost(Duration.ofSeconds(5)).until(() -> refreshes(meters, "done") >= 1);
		double misses = misses(meters);
		// Past the first answer's end: the refreshed one, with a lifetime of its own,
		// serves.
		Thread.sleep(Math.max(0, 2_300 - (System.nanoTime() - start) / 1_000_000));
		assertThat(application.get("/notes", token).statusCode()).isEqualTo(200);
		assertThat(misses(meters)).as("no request waited for the server").isEqualTo(misses);
		assertThat(meters.get(MicrometerRefreshAheadListener.ANSWER_AGE).timer().count()).isPositive();
	}

	private static double misses(MeterRegistry meters) {
		return meters.find("token.introspection.decisions")
			.tag("cache", "miss")
			.counters()
			.stream()
			.mapToDouble(Counter::count)
			.sum();
	}

	private static double refreshes(MeterRegistry meters, String outcome) {
		Counter counter = meters.find(MicrometerRefreshAheadListener.REFRESHES).tag("outcome", outcome).counter();
		return (counter != null) ? counter.count() : 0;
	}

}
