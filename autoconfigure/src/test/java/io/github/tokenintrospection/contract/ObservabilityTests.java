package io.github.tokenintrospection.contract;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.jayway.jsonpath.JsonPath;
import io.github.tokenintrospection.actuate.TokenIntrospectionEndpoint;
import io.github.tokenintrospection.cache.IntrospectionCacheControl;
import io.github.tokenintrospection.internal.actuate.IntrospectionHealthIndicator;
import io.github.tokenintrospection.internal.cache.IntrospectionCaches;
import io.github.tokenintrospection.internal.observation.MicrometerIntrospectionListener;
import io.github.tokenintrospection.testsupport.AuthorizationServerStub;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import mockwebserver3.MockResponse;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;

import static io.github.tokenintrospection.testsupport.AuthorizationServerStub.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What an operator sees of an application using the starter, the same on each
 * {@link Stack}, over HTTP on a real embedded server: the Micrometer meters for calls and
 * decisions (cache miss and hit), the audit trail line, the health indicator following
 * the authorization server, and the {@code tokenintrospection} actuator endpoint that
 * reads cache statistics and evicts.
 * <p>
 * The authorization server answers by token: {@code read-*} active, {@code broken-*} HTTP
 * 500, {@value #OPERATOR_TOKEN} active with the endpoint's write scope, anything else
 * inactive; during an outage, 500 for all. Each stack uses tokens of its own (see
 * {@link #token}), as both ask the one server, which counts calls per token.
 */
@ExtendWith(OutputCaptureExtension.class)
class ObservabilityTests {

	private static final String OPAQUETOKEN = "spring.security.oauth2.resourceserver.opaquetoken.";

	private static final String EXPOSED = "management.endpoints.web.exposure.include";

	private static final String SHOW_DETAILS = "management.endpoint.health.show-details";

	private static final AuthorizationServerStub authorizationServer = new AuthorizationServerStub();

	private static final String OPERATOR_TOKEN = "operator-token";

	private static final String OPERATOR = "{\"active\":true,\"sub\":\"ops\",\"client_id\":\"ops-cli\","
			+ "\"exp\":4102444800,\"token_type\":\"Bearer\",\"scope\":\"token-introspection:manage\"}";

	private static final Set<String> revoked = ConcurrentHashMap.newKeySet();

	private static final AtomicInteger unknownTokenCalls = new AtomicInteger();

	private static volatile boolean outage;

	private static final RunningStacks endpointAccessGranted = new RunningStacks(
			properties(EXPOSED, "health,tokenintrospection,metrics", "management.endpoint.tokenintrospection.access",
					"unrestricted", SHOW_DETAILS, "always", "management.endpoint.health.probes.enabled", "true"),
			OpenActuator.class);

	private static final RunningStacks endpointAccessNotGranted = new RunningStacks(
			properties(EXPOSED, "health,tokenintrospection,metrics", SHOW_DETAILS, "always"), OpenActuator.class);

	private static final RunningStacks healthIndicatorSwitchedOff = new RunningStacks(properties(EXPOSED, "health",
			SHOW_DETAILS, "always", "management.health.tokenintrospection.enabled", "false"), OpenActuator.class);

	@AfterAll
	static void stop() {
		endpointAccessGranted.close();
		endpointAccessNotGranted.close();
		healthIndicatorSwitchedOff.close();
		authorizationServer.close();
	}

	@BeforeEach
	void answerByToken() {
		authorizationServer.healthy();
		authorizationServer.answer(ObservabilityTests::answer);
	}

	// Meters and audit trail

	@ParameterizedTest
	@EnumSource
	void requestsThenCallTimerAndDecisionCountersRecordedForMissAndHit(Stack stack) {
		RunningStack application = granted(stack);
		Meters meters = new Meters(application.bean(MeterRegistry.class));
		double callsBefore = meters.calls("active");
		double missesBefore = meters.decisions("accepted", "none", "miss");
		double hitsBefore = meters.decisions("accepted", "none", "hit");
		double negativeBefore = meters.decisions("rejected", "inactive", "miss");
		String token = token(stack, "read-metrics-token");

		assertThat(application.get("/notes", token).statusCode()).isEqualTo(200);
		assertThat(application.get("/notes", token).statusCode()).isEqualTo(200);
		assertThat(application.get("/notes", token).statusCode()).isEqualTo(200);
		assertThat(application.get("/notes", token(stack, "inactive-metrics-token")).statusCode()).isEqualTo(401);

		assertThat(meters.calls("active") - callsBefore).isEqualTo(1);
		assertThat(meters.decisions("accepted", "none", "miss") - missesBefore).isEqualTo(1);
		assertThat(meters.decisions("accepted", "none", "hit") - hitsBefore).isEqualTo(2);
		assertThat(meters.decisions("rejected", "inactive", "miss") - negativeBefore).isEqualTo(1);
		assertThat(meters.registry.find("cache.gets").tag("cache", IntrospectionCaches.ACTIVE_CACHE_NAME).meters())
			.isNotEmpty();
	}

	@ParameterizedTest
	@EnumSource
	void serverFailsThenErrorDecisionCountedAndHealthDegradedUntilAnAnswer(Stack stack) {
		RunningStack application = granted(stack);
		Meters meters = new Meters(application.bean(MeterRegistry.class));
		double errorsBefore = meters.decisions("error", "unavailable", "none");
		String broken = token(stack, "broken-token");
		// Every call fails, the health indicator's own probe too.
		outage = true;
		try {
			assertThat(application.get("/notes", broken).statusCode()).isEqualTo(503);

			assertThat(meters.decisions("error", "unavailable", "none") - errorsBefore).isEqualTo(1);
			assertThat(
					meters.registry.get(MicrometerIntrospectionListener.CALLS).tags("outcome", "error").timer().count())
				.isPositive();
			HttpResponse<String> down = application.send("GET", "/actuator/health", null);
			assertThat((String) JsonPath.read(down.body(), "$.components.tokenIntrospection.status"))
				.isEqualTo("DEGRADED");
			assertThat((String) JsonPath.read(down.body(), "$.status")).isEqualTo("UP");
			assertThat(down.body()).doesNotContain(broken);
		}
		finally {
			outage = false;
		}

		assertThat(application.get("/notes", token(stack, "read-after-outage-token")).statusCode()).isEqualTo(200);

		HttpResponse<String> up = application.send("GET", "/actuator/health", null);
		assertThat((String) JsonPath.read(up.body(), "$.components.tokenIntrospection.status")).isEqualTo("UP");
		assertThat(application.bean(IntrospectionHealthIndicator.class).health().getStatus().getCode()).isEqualTo("UP");
	}

	@ParameterizedTest
	@EnumSource
	void requestThenOneAuditLineWithFingerprintAndWithoutTheToken(Stack stack, CapturedOutput output) {
		RunningStack application = granted(stack);
		String token = token(stack, "read-audited-token");

		assertThat(application.get("/notes", token).statusCode()).isEqualTo(200);

		String fingerprint = IntrospectionCacheControl.fingerprint(token);
		// One decision line; the request's outcome line (AuditTrailContractTests) carries
		// the fingerprint too.
		assertThat(output.getAll()
			.lines()
			.filter((line) -> line.contains("token-introspection decision=")
					&& line.contains("fingerprint=" + fingerprint)))
			.singleElement()
			.satisfies(
					(line) -> assertThat(line).contains("token-introspection decision=accepted reason=none cache=miss")
						.contains("sub=alice")
						.doesNotContain(token));
		assertThat(output.getAll()).doesNotContain(token);
	}

	@ParameterizedTest
	@EnumSource
	void metricsThenCallsDecisionsAndCacheMetersAreExposed(Stack stack) {
		RunningStack application = granted(stack);
		String token = token(stack, "read-metrics");
		application.get("/notes", token);
		application.get("/notes", token);

		HttpResponse<String> calls = application.send("GET",
				"/actuator/metrics/token.introspection.calls?tag=outcome:active", null);
		assertThat(calls.statusCode()).isEqualTo(200);
		assertThat(calls.body()).contains("\"error\"");
		HttpResponse<String> hits = application.send("GET",
				"/actuator/metrics/token.introspection.decisions?tag=decision:accepted&tag=cache:hit", null);
		assertThat(hits.statusCode()).isEqualTo(200);
		assertThat((Double) JsonPath.read(hits.body(), "$.measurements[0].value")).isGreaterThanOrEqualTo(1.0);
		HttpResponse<String> cacheGets = application.send("GET",
				"/actuator/metrics/cache.gets?tag=cache:" + IntrospectionCaches.ACTIVE_CACHE_NAME + "&tag=result:hit",
				null);
		assertThat(cacheGets.statusCode()).isEqualTo(200);
		assertThat((Double) JsonPath.read(cacheGets.body(), "$.measurements[0].value")).isGreaterThanOrEqualTo(1.0);
		assertThat(application.send("GET", "/actuator/metrics/token.introspection.calls", null).body())
			.doesNotContain("read-metrics")
			.doesNotContain("alice");
	}

	// The tokenintrospection endpoint

	@ParameterizedTest
	@EnumSource
	void getThenCacheStatisticsAsJson(Stack stack) {
		RunningStack application = granted(stack);
		String active = token(stack, "read-statistics");
		String inactive = token(stack, "inactive-statistics");
		assertThat(application.get("/notes", active).statusCode()).isEqualTo(200);
		assertThat(application.get("/notes", active).statusCode()).isEqualTo(200);
		assertThat(application.get("/notes", inactive).statusCode()).isEqualTo(401);

		HttpResponse<String> response = application.send("GET", "/actuator/tokenintrospection", null);

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type"))
			.hasValueSatisfying((value) -> assertThat(value).contains("json"));
		String json = response.body();
		assertThat((String) JsonPath.read(json, "$.active.name")).isEqualTo(IntrospectionCaches.ACTIVE_CACHE_NAME);
		assertThat((Integer) JsonPath.read(json, "$.active.size")).isEqualTo(1);
		assertThat((Integer) JsonPath.read(json, "$.active.hits")).isPositive();
		assertThat((Integer) JsonPath.read(json, "$.active.misses")).isPositive();
		assertThat((Integer) JsonPath.read(json, "$.active.evictions")).isNotNegative();
		assertThat((String) JsonPath.read(json, "$.inactive.name")).isEqualTo(IntrospectionCaches.INACTIVE_CACHE_NAME);
		assertThat((Integer) JsonPath.read(json, "$.inactive.size")).isEqualTo(1);
		assertThat(json).doesNotContain("read-statistics").doesNotContain("inactive-statistics");
	}

	@ParameterizedTest
	@EnumSource
	void postTokenThenNextRequestIntrospectsAgain(Stack stack) {
		RunningStack application = granted(stack);
		String token = token(stack, "read-evict-by-token");
		assertThat(application.get("/notes", token).statusCode()).isEqualTo(200);
		assertThat(application.get("/notes", token).statusCode()).isEqualTo(200);
		assertThat(authorizationServer.calls(token)).isEqualTo(1);

		HttpResponse<String> response = operate(application, "POST", "{\"token\":\"" + token + "\"}");

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat((Integer) JsonPath.read(response.body(), "$.evicted")).isEqualTo(1);
		assertThat((String) JsonPath.read(response.body(), "$.fingerprint"))
			.isEqualTo(IntrospectionCacheControl.fingerprint(token));
		assertThat(response.body()).doesNotContain(token);
		assertThat(application.get("/notes", token).statusCode()).isEqualTo(200);
		assertThat(authorizationServer.calls(token)).isEqualTo(2);
	}

	@ParameterizedTest
	@EnumSource
	void postFingerprintThenOnlyThatTokenIntrospectsAgain(Stack stack) {
		RunningStack application = granted(stack);
		String evicted = token(stack, "read-evict-by-fingerprint");
		String kept = token(stack, "read-kept");
		application.get("/notes", evicted);
		application.get("/notes", kept);
		assertThat(authorizationServer.calls(evicted)).isEqualTo(1);

		HttpResponse<String> response = operate(application, "POST",
				"{\"fingerprint\":\"" + IntrospectionCacheControl.fingerprint(evicted) + "\"}");

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat((Integer) JsonPath.read(response.body(), "$.evicted")).isEqualTo(1);
		assertThat(application.get("/notes", evicted).statusCode()).isEqualTo(200);
		assertThat(application.get("/notes", kept).statusCode()).isEqualTo(200);
		assertThat(authorizationServer.calls(evicted)).isEqualTo(2);
		assertThat(authorizationServer.calls(kept)).isEqualTo(1);
	}

	@ParameterizedTest
	@EnumSource
	void postRevokedTokenThenNextRequestIsRejectedAtOnce(Stack stack) {
		RunningStack application = granted(stack);
		String token = token(stack, "read-then-revoked");
		assertThat(application.get("/notes", token).statusCode()).isEqualTo(200);
		revoked.add(token);
		assertThat(application.get("/notes", token).statusCode()).as("still cached").isEqualTo(200);

		operate(application, "POST", "{\"token\":\"" + token + "\"}");

		assertThat(application.get("/notes", token).statusCode()).isEqualTo(401);
	}

	@ParameterizedTest
	@EnumSource
	void postSubjectThenEveryTokenOfThatUserIntrospectsAgainAndOtherUsersStayCached(Stack stack) {
		RunningStack application = granted(stack);
		List<String> carol = List.of(token(stack, "of-carol-s1-1"), token(stack, "of-carol-s2-2"));
		String dave = token(stack, "of-dave-s3-3");
		carol.forEach((token) -> assertThat(application.get("/notes", token).statusCode()).isEqualTo(200));
		assertThat(application.get("/notes", dave).statusCode()).isEqualTo(200);

		HttpResponse<String> response = operate(application, "POST", "{\"subject\":\"carol\"}");

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat((Integer) JsonPath.read(response.body(), "$.evicted")).isEqualTo(2);
		carol.forEach((token) -> application.get("/notes", token));
		application.get("/notes", dave);
		assertThat(carol).allSatisfy((token) -> assertThat(authorizationServer.calls(token)).isEqualTo(2));
		assertThat(authorizationServer.calls(dave)).isEqualTo(1);
	}

	@ParameterizedTest
	@EnumSource
	void postSessionThenTokensOfThatSessionIntrospectAgainAndTheUsersOtherSessionsStayCached(Stack stack) {
		RunningStack application = granted(stack);
		List<String> loggedOut = List.of(token(stack, "of-erin-s7-1"), token(stack, "of-erin-s7-2"));
		String otherSession = token(stack, "of-erin-s8-3");
		loggedOut.forEach((token) -> application.get("/notes", token));
		application.get("/notes", otherSession);

		HttpResponse<String> response = operate(application, "POST", "{\"session\":\"s7\"}");

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat((Integer) JsonPath.read(response.body(), "$.evicted")).isEqualTo(2);
		loggedOut.forEach((token) -> application.get("/notes", token));
		application.get("/notes", otherSession);
		assertThat(loggedOut).allSatisfy((token) -> assertThat(authorizationServer.calls(token)).isEqualTo(2));
		assertThat(authorizationServer.calls(otherSession)).isEqualTo(1);
	}

	@ParameterizedTest
	@EnumSource
	void postWithoutTokenOrFingerprintThenBadRequest(Stack stack) {
		assertThat(operate(granted(stack), "POST", "{}").statusCode()).isEqualTo(400);
	}

	@ParameterizedTest
	@EnumSource
	void postMalformedFingerprintThenBadRequest(Stack stack) {
		assertThat(operate(granted(stack), "POST", "{\"fingerprint\":\"abc\"}").statusCode()).isEqualTo(400);
	}

	@ParameterizedTest
	@EnumSource
	void deleteThenEveryTokenIntrospectsAgain(Stack stack) {
		RunningStack application = granted(stack);
		String first = token(stack, "read-evict-all-1");
		String second = token(stack, "read-evict-all-2");
		String inactive = token(stack, "inactive-evict-all");
		application.get("/notes", first);
		application.get("/notes", second);
		application.get("/notes", inactive);

		HttpResponse<String> response = operate(application, "DELETE", null);

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat((String) JsonPath.read(response.body(), "$.scope")).isEqualTo("this-instance-only");
		String statistics = application.send("GET", "/actuator/tokenintrospection", null).body();
		assertThat((Integer) JsonPath.read(statistics, "$.active.size")).isZero();
		assertThat((Integer) JsonPath.read(statistics, "$.inactive.size")).isZero();
		application.get("/notes", first);
		application.get("/notes", second);
		application.get("/notes", inactive);
		assertThat(authorizationServer.calls(first)).isEqualTo(2);
		assertThat(authorizationServer.calls(second)).isEqualTo(2);
		assertThat(authorizationServer.calls(inactive)).isEqualTo(2);
	}

	@ParameterizedTest
	@EnumSource
	void postOrDeleteWhenTokenHasOnlyOrdinaryScopeThenForbiddenAndNothingEvicted(Stack stack) {
		RunningStack application = granted(stack);
		String token = token(stack, "read-not-an-operator");
		assertThat(application.get("/notes", token).statusCode()).isEqualTo(200);

		HttpResponse<String> post = application.send("POST", "/actuator/tokenintrospection",
				"{\"token\":\"" + token + "\"}", token);
		HttpResponse<String> delete = application.send("DELETE", "/actuator/tokenintrospection", null, token);

		assertThat(post.statusCode()).isEqualTo(403);
		assertThat(delete.statusCode()).isEqualTo(403);
		assertThat(application.get("/notes", token).statusCode()).isEqualTo(200);
		assertThat(authorizationServer.calls(token)).as("still cached").isEqualTo(1);
	}

	@ParameterizedTest
	@EnumSource
	void postWhenNoTokenThenUnauthorized(Stack stack) {
		RunningStack application = granted(stack);

		assertThat(application.send("POST", "/actuator/tokenintrospection", "{\"token\":\"x\"}").statusCode())
			.isEqualTo(401);
		assertThat(application.send("DELETE", "/actuator/tokenintrospection", null).statusCode()).isEqualTo(401);
	}

	@ParameterizedTest
	@EnumSource
	void endpointThenAbsentByDefault(Stack stack) {
		RunningStack application = endpointAccessNotGranted.on(stack);
		String token = token(stack, "read-off-by-default");
		application.get("/notes", token);

		assertThat(application.send("GET", "/actuator/tokenintrospection", null).statusCode()).isEqualTo(404);
		assertThat(operate(application, "POST", "{\"token\":\"" + token + "\"}").statusCode()).isEqualTo(404);
		assertThat(operate(application, "DELETE", null).statusCode()).isEqualTo(404);
		assertThat(application.beanNamesForType(TokenIntrospectionEndpoint.class)).isEmpty();
		application.get("/notes", token);
		assertThat(authorizationServer.calls(token)).isEqualTo(1);
	}

	// Health

	@ParameterizedTest
	@EnumSource
	void healthWhenServerDownThenComponentDegradedWithReasonButOverallAndReadinessUp(Stack stack) {
		RunningStack application = granted(stack);
		String token = token(stack, "read-during-outage");
		outage = true;
		try {
			assertThat(application.get("/notes", token).statusCode()).isEqualTo(503);

			HttpResponse<String> health = application.send("GET", "/actuator/health", null);

			assertThat(health.statusCode()).as("a load balancer keeps the instance").isEqualTo(200);
			assertThat((String) JsonPath.read(health.body(), "$.status")).isEqualTo("UP");
			assertThat((String) JsonPath.read(health.body(), "$.components.tokenIntrospection.status"))
				.isEqualTo("DEGRADED");
			assertThat((Integer) JsonPath.read(health.body(),
					"$.components.tokenIntrospection.details.consecutiveFailures"))
				.isPositive();
			assertThat((String) JsonPath.read(health.body(), "$.components.tokenIntrospection.details.lastError"))
				.contains("500");
			assertThat((String) JsonPath.read(health.body(), "$.components.tokenIntrospection.details.failingSince"))
				.isNotBlank();
			assertThat(health.body()).doesNotContain("read-during-outage");
			HttpResponse<String> readiness = application.send("GET", "/actuator/health/readiness", null);
			assertThat(readiness.statusCode()).as("not part of readiness by default").isEqualTo(200);
			assertThat(readiness.body()).doesNotContain("tokenIntrospection");
		}
		finally {
			outage = false;
		}
		assertThat(application.get("/notes", token(stack, "read-health")).statusCode()).isEqualTo(200);

		HttpResponse<String> up = application.send("GET", "/actuator/health", null);
		assertThat((String) JsonPath.read(up.body(), "$.components.tokenIntrospection.status")).isEqualTo("UP");
		assertThat((Integer) JsonPath.read(up.body(), "$.components.tokenIntrospection.details.consecutiveFailures"))
			.isZero();
	}

	@ParameterizedTest
	@EnumSource
	void healthWhenServerRecoversWithoutTrafficThenUpAgainByItsOwnProbe(Stack stack) {
		RunningStack application = granted(stack);
		String token = token(stack, "read-before-recovery");
		outage = true;
		try {
			assertThat(application.get("/notes", token).statusCode()).isEqualTo(503);
			assertThat(healthStatus(application)).isEqualTo("DEGRADED");
		}
		finally {
			outage = false;
		}
		int probesBefore = unknownTokenCalls.get();

		Awaitility.await()
			.atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofSeconds(1))
			.until(() -> healthStatus(application), "UP"::equals);

		assertThat(unknownTokenCalls.get()).as("the probe asked the server").isGreaterThan(probesBefore);
		assertThat(authorizationServer.calls(token)).as("no request needed").isEqualTo(1);
	}

	@ParameterizedTest
	@EnumSource
	void healthThenIndicatorPresentByDefault(Stack stack) {
		HttpResponse<String> health = endpointAccessNotGranted.on(stack).send("GET", "/actuator/health", null);

		assertThat(health.body()).contains("\"tokenIntrospection\"");
	}

	@ParameterizedTest
	@EnumSource
	void healthThenNoTokenIntrospectionComponent(Stack stack) {
		RunningStack application = healthIndicatorSwitchedOff.on(stack);
		assertThat(application.get("/notes", token(stack, "broken-switched-off")).statusCode()).isEqualTo(503);

		HttpResponse<String> health = application.send("GET", "/actuator/health", null);

		assertThat(health.statusCode()).isEqualTo(200);
		assertThat(health.body()).contains("\"components\"").doesNotContain("tokenIntrospection");
	}

	/** The application whose endpoint is open, its caches empty. */
	private static RunningStack granted(Stack stack) {
		RunningStack application = endpointAccessGranted.on(stack);
		application.bean(IntrospectionCacheControl.class).evictAll();
		return application;
	}

	private static String healthStatus(RunningStack application) {
		return JsonPath.read(application.send("GET", "/actuator/health", null).body(),
				"$.components.tokenIntrospection.status");
	}

	/**
	 * A write operation of the endpoint, sent with a token that holds the write
	 * authority.
	 */
	private static HttpResponse<String> operate(RunningStack application, String method, String json) {
		return application.send(method, "/actuator/tokenintrospection", json, OPERATOR_TOKEN);
	}

	/**
	 * A token of the stack's own: both stacks ask one server, which counts calls per
	 * token.
	 */
	private static String token(Stack stack, String token) {
		return token + "-" + stack.name().toLowerCase(Locale.ROOT);
	}

	private static MockResponse answer(String token) {
		if (outage || token.startsWith("broken-")) {
			return json(500, "{\"error\":\"server_error\"}");
		}
		if (token.equals(OPERATOR_TOKEN)) {
			return json(200, OPERATOR);
		}
		if (token.startsWith("of-")) {
			// of-<sub>-<sid>-<n>-<stack>: a token of that user, issued in that session.
			String[] parts = token.split("-");
			return json(200, "{\"active\":true,\"sub\":\"" + parts[1] + "\",\"sid\":\"" + parts[2]
					+ "\",\"exp\":4102444800,\"token_type\":\"Bearer\",\"scope\":\"read\"}");
		}
		if (token.startsWith("read-") && !revoked.contains(token)) {
			return json(200, AuthorizationServerStub.ACTIVE);
		}
		if (!token.startsWith("inactive-")) {
			unknownTokenCalls.incrementAndGet();
		}
		return json(200, "{\"active\":false}");
	}

	private static Map<String, Object> properties(String... more) {
		Map<String, Object> properties = new HashMap<>(
				Map.of(OPAQUETOKEN + "introspection-uri", authorizationServer.url(), OPAQUETOKEN + "client-id",
						"notes-api", OPAQUETOKEN + "client-secret", "s3cret",
						// One attempt per request and no breaker: each request below
						// reaches the stub once.
						"token-introspection.resilience.retry.enabled", "false",
						"token-introspection.resilience.circuit-breaker.enabled", "false"));
		for (int i = 0; i < more.length; i += 2) {
			properties.put(more[i], more[i + 1]);
		}
		return properties;
	}

	/** Reads the starter's meters of one application. */
	private record Meters(MeterRegistry registry) {

		double calls(String outcome) {
			return this.registry.find(MicrometerIntrospectionListener.CALLS)
				.tags("outcome", outcome)
				.timers()
				.stream()
				.mapToDouble(Timer::count)
				.sum();
		}

		double decisions(String decision, String reason, String cache) {
			Counter counter = this.registry.find(MicrometerIntrospectionListener.DECISIONS)
				.tags("decision", decision, "reason", reason, "cache", cache)
				.counter();
			return (counter != null) ? counter.count() : 0;
		}

	}

	/**
	 * The actuator open at the filter level for the test's sake, next to the notes API
	 * (applications secure it like any admin API); a bearer token still authenticates, so
	 * that the endpoint's own check of the write authority is what guards evictions.
	 */
	@Configuration(proxyBeanMethods = false)
	static class OpenActuator {

		@Configuration(proxyBeanMethods = false)
		@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
		static class Servlet {

			@Bean
			@Order(1)
			SecurityFilterChain actuatorSecurityFilterChain(HttpSecurity http) throws Exception {
				http.securityMatcher("/actuator/**", "/error")
					.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll())
					.oauth2ResourceServer((resourceServer) -> resourceServer.opaqueToken(Customizer.withDefaults()))
					.csrf((csrf) -> csrf.disable());
				return http.build();
			}

			@Bean
			@Order(2)
			SecurityFilterChain apiSecurityFilterChain(HttpSecurity http) throws Exception {
				http.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated())
					.oauth2ResourceServer((resourceServer) -> resourceServer.opaqueToken(Customizer.withDefaults()));
				return http.build();
			}

		}

		@Configuration(proxyBeanMethods = false)
		@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
		@EnableWebFluxSecurity
		static class Reactive {

			@Bean
			@Order(1)
			SecurityWebFilterChain actuatorSecurityWebFilterChain(ServerHttpSecurity http) {
				http.securityMatcher(ServerWebExchangeMatchers.pathMatchers("/actuator/**"))
					.authorizeExchange((exchanges) -> exchanges.anyExchange().permitAll())
					.oauth2ResourceServer((resourceServer) -> resourceServer.opaqueToken(Customizer.withDefaults()))
					.csrf((csrf) -> csrf.disable());
				return http.build();
			}

			@Bean
			@Order(2)
			SecurityWebFilterChain apiSecurityWebFilterChain(ServerHttpSecurity http) {
				http.authorizeExchange((exchanges) -> exchanges.anyExchange().authenticated())
					.oauth2ResourceServer((resourceServer) -> resourceServer.opaqueToken(Customizer.withDefaults()));
				return http.build();
			}

		}

	}

}
