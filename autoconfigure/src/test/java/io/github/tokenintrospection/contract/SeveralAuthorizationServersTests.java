package io.github.tokenintrospection.contract;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.tokenintrospection.observation.IntrospectionCall;
import io.github.tokenintrospection.observation.IntrospectionDecision;
import io.github.tokenintrospection.observation.IntrospectionListener;
import io.github.tokenintrospection.testsupport.AuthorizationServerStub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.context.annotation.Configuration;

import static io.github.tokenintrospection.testsupport.AuthorizationServerStub.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several authorization servers behind one resource server, the same on each
 * {@link Stack}: the server of a token is chosen by the request (a header here), by a
 * JWT's {@code iss}, or by a probe; each server keeps its own caches and failures; the
 * listeners see which server judged.
 */
class SeveralAuthorizationServersTests {

	private static final String OPAQUETOKEN = "spring.security.oauth2.resourceserver.opaquetoken.";

	private static final String PARTNERS = "token-introspection.authorization-servers.partners.";

	private static final String ISSUER_A = "https://login.example.com/realms/notes";

	private static final String ISSUER_B = "https://partners.example.com";

	private static final AuthorizationServerStub serverA = new AuthorizationServerStub();

	private static final AuthorizationServerStub serverB = new AuthorizationServerStub();

	/** Partners' requests carry {@code X-Tenant: partners}. */
	private static final RunningStacks byHeader = new RunningStacks(Map.of(OPAQUETOKEN + "introspection-uri",
			serverA.url(), OPAQUETOKEN + "client-id", "notes-api", OPAQUETOKEN + "client-secret", "s3cret",
			PARTNERS + "introspection-uri", serverB.url(), PARTNERS + "client-id", "partners-api",
			PARTNERS + "client-secret", "s3cret-b", PARTNERS + "route.headers.X-Tenant", "partners",
			PARTNERS + "resilience.retry.enabled", "false", "token-introspection.resilience.retry.enabled", "false"),
			Recorded.class);

	/**
	 * No request rules: a JWT's iss picks the server, an opaque token goes to the first.
	 */
	private static final RunningStacks byIssuer = new RunningStacks(
			Map.of(OPAQUETOKEN + "introspection-uri", serverA.url(), OPAQUETOKEN + "client-id", "notes-api",
					OPAQUETOKEN + "client-secret", "s3cret", "token-introspection.validation.allowed-issuers", ISSUER_A,
					PARTNERS + "introspection-uri", serverB.url(), PARTNERS + "client-id", "partners-api",
					PARTNERS + "client-secret", "s3cret-b", PARTNERS + "validation.allowed-issuers", ISSUER_B));

	/** No request rules, no issuers: the servers are asked in turn. */
	private static final RunningStacks byProbe = new RunningStacks(Map.of(OPAQUETOKEN + "introspection-uri",
			serverA.url(), OPAQUETOKEN + "client-id", "notes-api", OPAQUETOKEN + "client-secret", "s3cret",
			PARTNERS + "introspection-uri", serverB.url(), PARTNERS + "client-id", "partners-api",
			PARTNERS + "client-secret", "s3cret-b", "token-introspection.probe.enabled", "true"));

	@AfterAll
	static void stop() {
		byHeader.close();
		byIssuer.close();
		byProbe.close();
		serverA.close();
		serverB.close();
	}

	@BeforeEach
	void healthyServers() {
		serverA.healthy();
		serverB.healthy();
	}

	@ParameterizedTest
	@EnumSource
	void getWithHeaderThenTokenGoesToThatServerOnly(Stack stack) {
		RunningStack application = byHeader.on(stack);
		String token = "partner-token-" + stack;

		HttpResponse<String> partners = get(application, token, Map.of("X-Tenant", "partners"));
		HttpResponse<String> again = get(application, token, Map.of("X-Tenant", "partners"));

		assertThat(partners.statusCode()).isEqualTo(200);
		assertThat(again.statusCode()).isEqualTo(200);
		assertThat(serverB.calls(token)).isEqualTo(1);
		assertThat(serverA.calls(token)).isZero();
	}

	@ParameterizedTest
	@EnumSource
	void getWithTokenOfOtherServerThen401AndNoCallToTheFirst(Stack stack) {
		RunningStack application = byHeader.on(stack);
		String token = "a-token-" + stack;
		serverB.answer((presented) -> json(200, "{\"active\":false}"));

		HttpResponse<String> onA = get(application, token, Map.of());
		HttpResponse<String> onB = get(application, token, Map.of("X-Tenant", "partners"));

		assertThat(onA.statusCode()).isEqualTo(200);
		assertThat(onB.statusCode()).isEqualTo(401);
		assertThat(onB.headers().firstValue("WWW-Authenticate"))
			.hasValueSatisfying((challenge) -> assertThat(challenge).contains("invalid_token"));
		// A's cached answer never answers for B.
		assertThat(serverB.calls(token)).isEqualTo(1);
		assertThat(serverA.calls(token)).isEqualTo(1);
	}

	@ParameterizedTest
	@EnumSource
	void getWhenOneServerIsDownThenOnlyItsRequestsGet503(Stack stack) {
		RunningStack application = byHeader.on(stack);
		serverB.refuseConnections();

		HttpResponse<String> onA = get(application, "a-while-b-down-" + stack, Map.of());
		HttpResponse<String> onB = get(application, "b-while-down-" + stack, Map.of("X-Tenant", "partners"));

		assertThat(onA.statusCode()).isEqualTo(200);
		assertThat(onB.statusCode()).isEqualTo(503);
	}

	@ParameterizedTest
	@EnumSource
	void getThenListenersSeeWhichServerJudged(Stack stack) {
		RunningStack application = byHeader.on(stack);
		Recorded recorded = application.bean(Recorded.class);
		recorded.clear();

		get(application, "seen-a-" + stack, Map.of());
		get(application, "seen-b-" + stack, Map.of("X-Tenant", "partners"));

		assertThat(recorded.decisions()).containsExactly("default accepted", "partners accepted");
		assertThat(recorded.calls()).containsExactly("default active", "partners active");
	}

	@ParameterizedTest
	@EnumSource
	void getWithJwtThenItsIssuerPicksTheServer(Stack stack) {
		RunningStack application = byIssuer.on(stack);
		String fromB = jwtNamingIssuer(ISSUER_B, "b-" + stack);
		String fromA = jwtNamingIssuer(ISSUER_A, "a-" + stack);
		String unknown = jwtNamingIssuer("https://elsewhere.example.com", "x-" + stack);
		serverA.answer((token) -> json(200, activeOf(ISSUER_A)));
		serverB.answer((token) -> json(200, activeOf(ISSUER_B)));

		assertThat(get(application, fromB, Map.of()).statusCode()).isEqualTo(200);
		assertThat(get(application, fromA, Map.of()).statusCode()).isEqualTo(200);
		assertThat(get(application, unknown, Map.of()).statusCode()).isEqualTo(401);

		assertThat(serverB.calls(fromB)).isEqualTo(1);
		assertThat(serverA.calls(fromB)).isZero();
		assertThat(serverA.calls(fromA)).isEqualTo(1);
		assertThat(serverB.calls(fromA)).isZero();
		assertThat(serverA.calls(unknown) + serverB.calls(unknown)).isZero();
	}

	@ParameterizedTest
	@EnumSource
	void getWithOpaqueTokenAndNoProbeThenFirstServerOnly(Stack stack) {
		RunningStack application = byIssuer.on(stack);
		String token = "opaque-" + stack;
		serverA.answer((presented) -> json(200, "{\"active\":false}"));

		assertThat(get(application, token, Map.of()).statusCode()).isEqualTo(401);
		assertThat(serverB.calls(token)).isZero();
	}

	@ParameterizedTest
	@EnumSource
	void getWithProbeThenNextServerAfterInactiveAndNoFurtherCalls(Stack stack) {
		RunningStack application = byProbe.on(stack);
		String token = "probed-" + stack;
		serverA.answer((presented) -> json(200, "{\"active\":false}"));

		List<Integer> statuses = List.of(get(application, token, Map.of()).statusCode(),
				get(application, token, Map.of()).statusCode(), get(application, token, Map.of()).statusCode());

		assertThat(statuses).containsOnly(200);
		assertThat(serverA.calls(token)).isEqualTo(1);
		assertThat(serverB.calls(token)).isEqualTo(1);
	}

	@ParameterizedTest
	@EnumSource
	void getWithProbeWhenNoServerKnowsTokenThen401(Stack stack) {
		RunningStack application = byProbe.on(stack);
		String token = "inactive-everywhere-" + stack;

		assertThat(get(application, token, Map.of()).statusCode()).isEqualTo(401);
		assertThat(serverA.calls(token)).isEqualTo(1);
		assertThat(serverB.calls(token)).isEqualTo(1);
	}

	@ParameterizedTest
	@EnumSource
	void getWithProbeWhenFirstServerDownAndSecondSaysInactiveThen503(Stack stack) {
		RunningStack application = byProbe.on(stack);
		serverA.refuseConnections();

		HttpResponse<String> unknown = get(application, "inactive-maybe-a-" + stack, Map.of());
		HttpResponse<String> ofB = get(application, "active-at-b-" + stack, Map.of());

		// The token may be A's: not knowing is not a 401.
		assertThat(unknown.statusCode()).isEqualTo(503);
		assertThat(ofB.statusCode()).isEqualTo(200);
	}

	private static String activeOf(String issuer) {
		return "{\"active\":true,\"sub\":\"alice\",\"exp\":4102444800,\"scope\":\"read\",\"iss\":\"" + issuer + "\"}";
	}

	/** A token shaped like a JWT naming an issuer; it is introspected, never verified. */
	private static String jwtNamingIssuer(String issuer, String id) {
		Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
		return encoder.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
				+ encoder.encodeToString(
						("{\"iss\":\"" + issuer + "\",\"jti\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8))
				+ ".c2ln";
	}

	private static HttpResponse<String> get(RunningStack application, String token, Map<String, String> headers) {
		return application.get("/notes", token, headers);
	}

	/** Records which server each call and decision came from (itself a listener bean). */
	@Configuration(proxyBeanMethods = false)
	static class Recorded implements IntrospectionListener {

		private final List<String> decisions = new CopyOnWriteArrayList<>();

		private final List<String> calls = new CopyOnWriteArrayList<>();

		@Override
		public void introspectionCalled(IntrospectionCall call) {
			this.calls.add(call.server() + " " + call.outcome().tagValue());
		}

		@Override
		public void decisionMade(IntrospectionDecision decision) {
			this.decisions.add(decision.server() + " " + decision.outcome().tagValue());
		}

		List<String> decisions() {
			return this.decisions;
		}

		List<String> calls() {
			return this.calls;
		}

		void clear() {
			this.decisions.clear();
			this.calls.clear();
		}

	}

}
