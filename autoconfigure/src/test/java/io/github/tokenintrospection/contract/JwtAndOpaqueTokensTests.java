package io.github.tokenintrospection.contract;

import java.net.http.HttpResponse;
import java.security.Principal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.RSAKey;
import io.github.tokenintrospection.internal.jwt.LocalJwtRouter;
import io.github.tokenintrospection.internal.jwt.TestIssuer;
import io.github.tokenintrospection.observation.IntrospectionDecision;
import io.github.tokenintrospection.observation.IntrospectionDecision.Outcome;
import io.github.tokenintrospection.observation.IntrospectionDecision.Path;
import io.github.tokenintrospection.observation.IntrospectionListener;
import io.github.tokenintrospection.testsupport.AuthorizationServerStub;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static io.github.tokenintrospection.testsupport.AuthorizationServerStub.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * JWT and opaque tokens on one endpoint, the same on each {@link Stack}: the issuer's JWT
 * access tokens are verified with its JWKS without any introspection call and give the
 * same authentication as the introspection of the same claims; hostile or invalid JWTs
 * get 401 and are never accepted; everything else is introspected as before.
 */
@ExtendWith(OutputCaptureExtension.class)
class JwtAndOpaqueTokensTests {

	private static final String OPAQUETOKEN = "spring.security.oauth2.resourceserver.opaquetoken.";

	/** What the authorization server says about the opaque tokens: the JWTs' claims. */
	private static final String OPAQUE_ANSWER = "{\"active\":true,\"iss\":\"" + TestIssuer.ISSUER
			+ "\",\"sub\":\"alice\",\"aud\":\"notes-api\",\"typ\":\"Bearer\",\"token_type\":\"Bearer\","
			+ "\"scope\":\"read\",\"exp\":4102444800,\"client_id\":\"notes-web\","
			+ "\"realm_access\":{\"roles\":[\"reader\"]}}";

	private static final AuthorizationServerStub authorizationServer = new AuthorizationServerStub();

	private static final TestIssuer issuer = new TestIssuer();

	private static final RunningStacks applications = new RunningStacks(Map.ofEntries(
			Map.entry(OPAQUETOKEN + "introspection-uri", authorizationServer.url()),
			Map.entry(OPAQUETOKEN + "client-id", "notes-api"), Map.entry(OPAQUETOKEN + "client-secret", "s3cret"),
			Map.entry("token-introspection.resilience.retry.enabled", "false"),
			Map.entry("token-introspection.resilience.circuit-breaker.enabled", "false"),
			Map.entry("token-introspection.validation.allowed-issuers", TestIssuer.ISSUER),
			Map.entry("token-introspection.validation.required-audiences", "notes-api"),
			Map.entry("token-introspection.authorities.role-claim-paths", "realm_access.roles"),
			Map.entry("token-introspection.jwt.enabled", "true"),
			Map.entry("token-introspection.jwt.jwk-set-uri", issuer.jwkSetUri()),
			Map.entry("token-introspection.jwt.introspect-paths", "/admin/**")), WhoAmI.class);

	@AfterAll
	static void stop() {
		applications.close();
		authorizationServer.close();
		issuer.close();
	}

	@BeforeEach
	void answerOpaqueTokens() {
		authorizationServer.healthy();
		authorizationServer
			.answer((token) -> json(200, token.startsWith("opaque-") ? OPAQUE_ANSWER : "{\"active\":false}"));
	}

	@ParameterizedTest
	@EnumSource
	void getWhenIssuersJwtThenAcceptedLocallyWithoutIntrospection(Stack stack, CapturedOutput output) {
		RunningStack application = applications.on(stack);
		int callsBefore = authorizationServer.totalCalls();

		HttpResponse<String> first = application.get("/me", issuer.accessToken());
		HttpResponse<String> second = application.get("/notes", issuer.accessToken());

		assertThat(first.statusCode()).isEqualTo(200);
		assertThat(first.body()).isEqualTo("alice [FACTOR_BEARER, ROLE_reader, SCOPE_read]");
		assertThat(second.statusCode()).isEqualTo(200);
		assertThat(second.body()).isEqualTo("notes of alice");
		assertThat(authorizationServer.totalCalls()).isEqualTo(callsBefore);
		assertThat(application.bean(Decisions.class).last()).satisfies((decision) -> {
			assertThat(decision.outcome()).isEqualTo(Outcome.ACCEPTED);
			assertThat(decision.path()).isEqualTo(Path.LOCAL);
		});
		// One audit line per call to the server or rejection: a local acceptance is none.
		assertThat(output).doesNotContain("decision=accepted reason=none cache=none path=local");
		assertThat(application.bean(MeterRegistry.class)
			.get("token.introspection.decisions")
			.tags("decision", "accepted", "path", "local")
			.counter()
			.count()).isGreaterThanOrEqualTo(2);
	}

	@ParameterizedTest
	@EnumSource
	void getWhenSameClaimsIntrospectedThenSameAuthentication(Stack stack) {
		RunningStack application = applications.on(stack);
		String opaque = "opaque-" + stack;

		HttpResponse<String> introspected = application.get("/me", opaque);
		HttpResponse<String> local = application.get("/me", issuer.accessToken());

		assertThat(introspected.statusCode()).isEqualTo(200);
		assertThat(authorizationServer.calls(opaque)).isEqualTo(1);
		assertThat(application.bean(Decisions.class).last().path()).isEqualTo(Path.LOCAL);
		assertThat(local.body()).isEqualTo(introspected.body())
			.isEqualTo("alice [FACTOR_BEARER, ROLE_reader, SCOPE_read]");
	}

	@ParameterizedTest
	@EnumSource
	void getWhenAlgNoneOrHs256WithPublicKeyThen401WithoutIntrospection(Stack stack, CapturedOutput output) {
		RunningStack application = applications.on(stack);
		int callsBefore = authorizationServer.totalCalls();

		for (String token : List.of(issuer.unsecured(), issuer.hs256WithPublicKeyAsSecret())) {
			assertThat(application.get("/notes", token).statusCode()).isEqualTo(401);
			assertThat(application.bean(Decisions.class).last()).satisfies((decision) -> {
				assertThat(decision.outcome()).isEqualTo(Outcome.REJECTED);
				assertThat(decision.reasons()).containsExactly("algorithm");
				assertThat(decision.path()).isEqualTo(Path.LOCAL);
			});
		}
		assertThat(authorizationServer.totalCalls()).isEqualTo(callsBefore);
		assertThat(output).contains("decision=rejected reason=algorithm cache=none path=local fingerprint=");
	}

	@ParameterizedTest
	@EnumSource
	void getWhenKidOfAnotherIssuerThenIntrospectedAndRefused(Stack stack) {
		RunningStack application = applications.on(stack);
		RSAKey otherIssuersKey = TestIssuer.newKey("other-issuer-key-" + stack);
		String token = TestIssuer.sign(header(otherIssuersKey.getKeyID()), TestIssuer.accessTokenClaims(),
				TestIssuer.signer(otherIssuersKey));

		HttpResponse<String> response = application.get("/notes", token);

		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(authorizationServer.calls(token)).isEqualTo(1);
		assertThat(application.bean(Decisions.class).last().path()).isEqualTo(Path.INTROSPECTION);
	}

	@ParameterizedTest
	@EnumSource
	void getWhenKidOfTheIssuerButForgedSignatureThen401WithoutIntrospection(Stack stack) {
		RunningStack application = applications.on(stack);
		application.get("/notes", issuer.accessToken());
		RSAKey forger = TestIssuer.newKey(issuer.key().getKeyID());
		String token = TestIssuer.sign(header(forger.getKeyID()), TestIssuer.accessTokenClaims(),
				TestIssuer.signer(forger));

		assertThat(application.get("/notes", token).statusCode()).isEqualTo(401);
		assertThat(authorizationServer.calls(token)).isZero();
		assertThat(application.bean(Decisions.class).last().reasons()).containsExactly("verification");
	}

	@ParameterizedTest
	@EnumSource
	void getWhenHeaderOversizedThenIntrospectedAndRefused(Stack stack) {
		RunningStack application = applications.on(stack);
		JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(issuer.key().getKeyID())
			.type(JOSEObjectType.JWT)
			.customParam("padding", "x".repeat(LocalJwtRouter.MAX_HEADER_LENGTH))
			.build();
		String token = TestIssuer.sign(header, TestIssuer.accessTokenClaims(), TestIssuer.signer(issuer.key()));

		assertThat(application.get("/notes", token).statusCode()).isEqualTo(401);
		assertThat(authorizationServer.calls(token)).isEqualTo(1);
	}

	@ParameterizedTest
	@EnumSource
	void getWhenJwtExpiredOrForAnotherAudienceOrNotAnAccessTokenThen401WithoutIntrospection(Stack stack) {
		RunningStack application = applications.on(stack);
		Map<String, Object> expired = TestIssuer.accessTokenClaims();
		expired.put("iat", Instant.now().minusSeconds(7200).getEpochSecond());
		expired.put("exp", Instant.now().minusSeconds(3600).getEpochSecond());
		Map<String, Object> otherAudience = TestIssuer.accessTokenClaims();
		otherAudience.put("aud", "billing-api");
		Map<String, Object> refresh = TestIssuer.accessTokenClaims();
		refresh.put("typ", "Refresh");
		int callsBefore = authorizationServer.totalCalls();

		for (Map.Entry<String, Map<String, Object>> invalid : Map
			.of("expired", expired, "audience", otherAudience, "token_type", refresh)
			.entrySet()) {
			assertThat(application.get("/notes", issuer.sign(invalid.getValue())).statusCode()).isEqualTo(401);
			assertThat(application.bean(Decisions.class).last()).satisfies((decision) -> {
				assertThat(decision.outcome()).isEqualTo(Outcome.REJECTED);
				assertThat(decision.reasons()).contains(invalid.getKey());
				assertThat(decision.path()).isEqualTo(Path.LOCAL);
			});
		}
		assertThat(authorizationServer.totalCalls()).isEqualTo(callsBefore);
	}

	@ParameterizedTest
	@EnumSource
	void getWhenPathMustIntrospectThenJwtIntrospected(Stack stack) {
		RunningStack application = applications.on(stack);
		String token = issuer.accessToken();

		HttpResponse<String> response = application.get("/admin/notes", token);

		// The stub calls it inactive: a revoked token stops there at once.
		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(authorizationServer.calls(token)).isEqualTo(1);
		assertThat(application.get("/notes", token).statusCode()).isEqualTo(200);
		assertThat(authorizationServer.calls(token)).isEqualTo(1);
	}

	@ParameterizedTest
	@EnumSource
	void getWhenOpaqueTokenThenIntrospectedAsBefore(Stack stack) {
		RunningStack application = applications.on(stack);
		String token = "opaque-plain-" + stack;

		assertThat(application.get("/notes", token).statusCode()).isEqualTo(200);
		assertThat(authorizationServer.calls(token)).isEqualTo(1);
		assertThat(application.bean(Decisions.class).last().path()).isEqualTo(Path.INTROSPECTION);
	}

	private static JWSHeader header(String kid) {
		return new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).type(JOSEObjectType.JWT).build();
	}

	/** {@code GET /me}: the authentication's name and sorted authorities. */
	@Configuration(proxyBeanMethods = false)
	@Import(WhoAmIController.class)
	static class WhoAmI {

		@Bean
		Decisions decisions() {
			return new Decisions();
		}

	}

	@RestController
	static class WhoAmIController {

		@GetMapping("/me")
		String me(Principal principal) {
			Authentication authentication = (Authentication) principal;
			return authentication.getName() + " "
					+ authentication.getAuthorities().stream().map(GrantedAuthority::getAuthority).sorted().toList();
		}

	}

	/** Records every decision. */
	static class Decisions implements IntrospectionListener {

		private final List<IntrospectionDecision> decisions = new CopyOnWriteArrayList<>();

		@Override
		public void decisionMade(IntrospectionDecision decision) {
			this.decisions.add(decision);
		}

		IntrospectionDecision last() {
			return this.decisions.get(this.decisions.size() - 1);
		}

	}

}
