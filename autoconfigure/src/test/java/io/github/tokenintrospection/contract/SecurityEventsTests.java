package io.github.tokenintrospection.contract;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jwt.JWTClaimsSet;
import io.github.tokenintrospection.internal.events.MicrometerSecurityEventListener;
import io.github.tokenintrospection.testsupport.AuthorizationServerStub;
import io.github.tokenintrospection.testsupport.SecurityEventTransmitter;
import io.micrometer.core.instrument.MeterRegistry;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static io.github.tokenintrospection.testsupport.AuthorizationServerStub.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The security event receiver on both stacks: SETs pushed by a transmitter (RFC 8935)
 * evict a revoked session's or a user's cached answers at once, before the cache's TTL;
 * hostile deliveries are refused with RFC 8935's codes (or acknowledged, when repeated or
 * unknown) and evict nothing; the endpoint is never a 500.
 */
class SecurityEventsTests {

	private static final String OPAQUETOKEN = "spring.security.oauth2.resourceserver.opaquetoken.";

	private static final String AUDIENCE = "notes-api-events";

	private static final String TRANSMITTER_AUTHORIZATION = "Bearer transmitter-secret";

	private static final AuthorizationServerStub authorizationServer = new AuthorizationServerStub();

	private static final SecurityEventTransmitter transmitter = SecurityEventTransmitter.start();

	private static final RunningStacks applications = new RunningStacks(Map.of(OPAQUETOKEN + "introspection-uri",
			authorizationServer.url(), OPAQUETOKEN + "client-id", "notes-api", OPAQUETOKEN + "client-secret", "s3cret",
			"token-introspection.security-events.enabled", "true", "token-introspection.security-events.issuer",
			transmitter.issuer(), "token-introspection.security-events.audience", AUDIENCE,
			"token-introspection.security-events.push.authorization", TRANSMITTER_AUTHORIZATION));

	@AfterAll
	static void stop() {
		applications.close();
		authorizationServer.close();
		transmitter.close();
	}

	@BeforeEach
	void answerByToken() {
		authorizationServer.answer(SecurityEventsTests::answer);
	}

	@ParameterizedTest
	@EnumSource
	void pushSessionRevokedThenThatSessionsTokensIntrospectedAgainAndTheUsersOtherSessionStays(Stack stack) {
		RunningStack application = applications.on(stack);
		String revoked = token(stack, "carol", "s1");
		String otherSession = token(stack, "carol", "s2");
		cache(application, revoked, otherSession);

		HttpResponse<String> response = push(application,
				transmitter.sessionRevoked(AUDIENCE, user(stack, "carol"), session(stack, "s1")));

		assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
		assertThat(application.get("/notes", revoked).statusCode()).isEqualTo(200);
		assertThat(application.get("/notes", otherSession).statusCode()).isEqualTo(200);
		assertThat(authorizationServer.calls(revoked)).isEqualTo(2);
		assertThat(authorizationServer.calls(otherSession)).isEqualTo(1);
	}

	@ParameterizedTest
	@EnumSource
	void pushCredentialChangeThenEveryTokenOfTheUserIntrospectedAgainAndOtherUsersStay(Stack stack) {
		RunningStack application = applications.on(stack);
		List<String> dave = List.of(token(stack, "dave", "s3"), token(stack, "dave", "s4"));
		String erin = token(stack, "erin", "s5");
		cache(application, dave.get(0), dave.get(1), erin);

		assertThat(push(application, transmitter.credentialChange(AUDIENCE, user(stack, "dave"))).statusCode())
			.isEqualTo(202);

		cache(application, dave.get(0), dave.get(1), erin);
		assertThat(dave).allSatisfy((token) -> assertThat(authorizationServer.calls(token)).isEqualTo(2));
		assertThat(authorizationServer.calls(erin)).isEqualTo(1);
		MeterRegistry meters = application.bean(MeterRegistry.class);
		assertThat(meters.get(MicrometerSecurityEventListener.REVOCATION_LAG)
			.tag("event", "credential-change")
			.timer()
			.count()).isPositive();
	}

	@ParameterizedTest
	@EnumSource
	void pushHostileDeliveriesThenRefusedWithRfc8935CodesAndNothingEvicted(Stack stack) {
		RunningStack application = applications.on(stack);
		String frank = token(stack, "frank", "s6");
		cache(application, frank);
		String subject = user(stack, "frank");
		Map<String, Object> subId = Map.of("format", "iss_sub", "iss", transmitter.issuer(), "sub", subject);
		Map<String, Object> event = Map.of("change_type", "update");
		JWTClaimsSet valid = transmitter.claims(AUDIENCE, SecurityEventTransmitter.CREDENTIAL_CHANGE, event, subId)
			.build();

		assertRefused(push(application,
				SecurityEventTransmitter.sign(valid, new JOSEObjectType("secevent+jwt"), transmitter.forgersKey())),
				400, "invalid_key");
		assertRefused(
				push(application, transmitter.sign(new JWTClaimsSet.Builder(valid).audience("other-api").build())), 400,
				"invalid_audience");
		assertRefused(
				push(application,
						transmitter.sign(new JWTClaimsSet.Builder(valid).issuer("https://elsewhere.example").build())),
				400, "invalid_issuer");
		assertRefused(push(application, transmitter
			.sign(new JWTClaimsSet.Builder(valid).issueTime(Date.from(Instant.now().minusSeconds(7200))).build())), 400,
				"invalid_request");
		assertRefused(push(application, transmitter.sign(new JWTClaimsSet.Builder(valid).jwtID(null).build())), 400,
				"invalid_request");
		assertRefused(push(application, transmitter.sign(valid, JOSEObjectType.JWT)), 400, "invalid_request");
		assertRefused(push(application, "not.a.set"), 400, "invalid_request");
		assertRefused(transmitter.push(endpoint(application), transmitter.sign(valid), null), 401,
				"authentication_failed");
		assertRefused(transmitter.push(endpoint(application), transmitter.sign(valid), "Bearer guessed"), 401,
				"authentication_failed");
		assertRefused(transmitter.push(endpoint(application), transmitter.sign(valid), TRANSMITTER_AUTHORIZATION,
				"application/json"), 400, "invalid_request");
		assertRefused(push(application, "x".repeat(70 * 1024)), 413, "invalid_request");

		cache(application, frank);
		assertThat(authorizationServer.calls(frank)).as("still cached").isEqualTo(1);
	}

	@ParameterizedTest
	@EnumSource
	void pushSameSetAgainThenAcknowledgedWithoutActingTwice(Stack stack) {
		RunningStack application = applications.on(stack);
		String grace = token(stack, "grace", "s7");
		cache(application, grace);
		String set = transmitter.credentialChange(AUDIENCE, user(stack, "grace"));
		assertThat(push(application, set).statusCode()).isEqualTo(202);
		cache(application, grace);
		assertThat(authorizationServer.calls(grace)).isEqualTo(2);

		HttpResponse<String> again = push(application, set);

		assertThat(again.statusCode()).isEqualTo(202);
		cache(application, grace);
		assertThat(authorizationServer.calls(grace)).as("not evicted again").isEqualTo(2);
	}

	@ParameterizedTest
	@EnumSource
	void pushUnknownEventTypeThenAcknowledgedCountedAndNothingEvicted(Stack stack) {
		RunningStack application = applications.on(stack);
		String heidi = token(stack, "heidi", "s8");
		cache(application, heidi);
		MeterRegistry meters = application.bean(MeterRegistry.class);
		double before = unknownEvents(meters);

		HttpResponse<String> response = push(application,
				transmitter.sign(
						transmitter
							.claims(AUDIENCE, "https://example.com/event-type/something-new", Map.of(),
									Map.of("format", "iss_sub", "iss", transmitter.issuer(), "sub",
											user(stack, "heidi")))
							.build()));

		assertThat(response.statusCode()).isEqualTo(202);
		assertThat(unknownEvents(meters)).isEqualTo(before + 1);
		cache(application, heidi);
		assertThat(authorizationServer.calls(heidi)).isEqualTo(1);
	}

	@ParameterizedTest
	@EnumSource
	void getOnPushEndpointThen405(Stack stack) {
		RunningStack application = applications.on(stack);

		HttpResponse<String> response = application.send("GET", "/security-events", null);

		assertThat(response.statusCode()).isEqualTo(405);
		assertThat(response.headers().firstValue("Allow")).hasValue("POST");
	}

	private static double unknownEvents(MeterRegistry meters) {
		var counter = meters.find(MicrometerSecurityEventListener.EVENTS)
			.tags("event", "unknown", "outcome", "unknown")
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

	private static void assertRefused(HttpResponse<String> response, int status, String error) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		assertThat((String) JsonPath.read(response.body(), "$.err")).isEqualTo(error);
		assertThat((String) JsonPath.read(response.body(), "$.description")).isNotBlank();
	}

	private static void cache(RunningStack application, String... tokens) {
		for (String token : tokens) {
			assertThat(application.get("/notes", token).statusCode()).isEqualTo(200);
		}
	}

	private static HttpResponse<String> push(RunningStack application, String set) {
		return transmitter.push(endpoint(application), set, TRANSMITTER_AUTHORIZATION);
	}

	private static String endpoint(RunningStack application) {
		return "http://localhost:" + application.port() + "/security-events";
	}

	/** Users and sessions of the stack's own: both stacks ask one server. */
	private static String user(Stack stack, String name) {
		return name + stack.name().toLowerCase(java.util.Locale.ROOT);
	}

	private static String session(Stack stack, String id) {
		return id + stack.name().toLowerCase(java.util.Locale.ROOT);
	}

	/** {@code of.<sub>.<sid>}: a token of that user, issued in that session. */
	private static String token(Stack stack, String name, String sessionId) {
		return "of." + user(stack, name) + "." + session(stack, sessionId);
	}

	private static MockResponse answer(String token) {
		if (token.startsWith("of.")) {
			String[] parts = token.split("\\.");
			return json(200, "{\"active\":true,\"sub\":\"" + parts[1] + "\",\"sid\":\"" + parts[2]
					+ "\",\"exp\":4102444800,\"token_type\":\"Bearer\",\"scope\":\"read\"}");
		}
		return json(200, "{\"active\":false}");
	}

}
