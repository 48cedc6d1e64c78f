package io.github.tokenintrospection.contract;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.github.tokenintrospection.internal.jwt.TestIssuer;
import io.github.tokenintrospection.observation.IntrospectionDecision.Path;
import io.github.tokenintrospection.testsupport.AuthorizationServerStub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static io.github.tokenintrospection.testsupport.AuthorizationServerStub.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code token-introspection.jwt.revalidate-after}, the same on each {@link Stack}: a
 * locally verified JWT is also introspected in the background, once per period, so that a
 * revocation at the authorization server stops it without any request waiting for the
 * server.
 */
class JwtRevalidationTests {

	private static final String OPAQUETOKEN = "spring.security.oauth2.resourceserver.opaquetoken.";

	private static final AuthorizationServerStub authorizationServer = new AuthorizationServerStub();

	private static final TestIssuer issuer = new TestIssuer();

	/** Tokens the authorization server has revoked. */
	private static final Set<String> revoked = ConcurrentHashMap.newKeySet();

	private static final RunningStacks applications = new RunningStacks(Map.ofEntries(
			Map.entry(OPAQUETOKEN + "introspection-uri", authorizationServer.url()),
			Map.entry(OPAQUETOKEN + "client-id", "notes-api"), Map.entry(OPAQUETOKEN + "client-secret", "s3cret"),
			Map.entry("token-introspection.resilience.retry.enabled", "false"),
			Map.entry("token-introspection.validation.allowed-issuers", TestIssuer.ISSUER),
			Map.entry("token-introspection.validation.required-audiences", "notes-api"),
			Map.entry("token-introspection.jwt.enabled", "true"),
			Map.entry("token-introspection.jwt.jwk-set-uri", issuer.jwkSetUri()),
			Map.entry("token-introspection.jwt.revalidate-after", "1h")), JwtAndOpaqueTokensTests.WhoAmI.class);

	@AfterAll
	static void stop() {
		applications.close();
		authorizationServer.close();
		issuer.close();
	}

	@BeforeEach
	void answer() {
		authorizationServer.answer((token) -> json(200,
				revoked.contains(token) ? "{\"active\":false}" : "{\"active\":true,\"iss\":\"" + TestIssuer.ISSUER
						+ "\",\"sub\":\"alice\",\"aud\":\"notes-api\",\"scope\":\"read\",\"exp\":4102444800}"));
	}

	@ParameterizedTest
	@EnumSource
	void getWhenTokenRevokedAtTheServerThenAcceptedLocallyUntilTheBackgroundAnswerThen401(Stack stack) {
		RunningStack application = applications.on(stack);
		String token = issuer.accessToken();
		revoked.add(token);

		assertThat(application.get("/notes", token).statusCode()).isEqualTo(200);

		await().untilAsserted(() -> assertThat(application.get("/notes", token).statusCode()).isEqualTo(401));
		assertThat(application.get("/notes", token).statusCode()).isEqualTo(401);
		assertThat(application.bean(JwtAndOpaqueTokensTests.Decisions.class).last()).satisfies((decision) -> {
			assertThat(decision.path()).isEqualTo(Path.INTROSPECTION);
			assertThat(decision.reasons()).containsExactly("inactive");
		});
	}

	@ParameterizedTest
	@EnumSource
	void getWhenTokenStillActiveThenIntrospectedOncePerPeriodAndAcceptedLocally(Stack stack) {
		RunningStack application = applications.on(stack);
		String token = issuer.accessToken();

		for (int i = 0; i < 5; i++) {
			assertThat(application.get("/notes", token).statusCode()).isEqualTo(200);
		}

		await().untilAsserted(() -> assertThat(authorizationServer.calls(token)).isEqualTo(1));
		assertThat(application.get("/notes", token).statusCode()).isEqualTo(200);
		assertThat(application.bean(JwtAndOpaqueTokensTests.Decisions.class).last().path()).isEqualTo(Path.LOCAL);
		assertThat(authorizationServer.calls(token)).isEqualTo(1);
	}

}
