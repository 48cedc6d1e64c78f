package io.github.tokenintrospection.autoconfigure;

import java.net.URI;

import io.github.tokenintrospection.internal.jose.JwksKeys;
import io.github.tokenintrospection.internal.jwt.LocalJwtRouter;
import io.github.tokenintrospection.internal.jwt.TestIssuer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The local JWT path in the auto-configuration: off unless asked for, nothing fetched at
 * start-up, and the introspector bean verifies the issuer's JWTs without calling the
 * introspection endpoint; with signed answers, both share one key set.
 */
class LocalJwtAutoConfigurationTests {

	private static final String OPAQUETOKEN = "spring.security.oauth2.resourceserver.opaquetoken.";

	private final TestIssuer issuer = new TestIssuer();

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TokenIntrospectionAutoConfiguration.class,
				OAuth2ResourceServerAutoConfiguration.class))
		// Nothing listens there: a call to introspect would fail with 503.
		.withPropertyValues(OPAQUETOKEN + "introspection-uri=http://127.0.0.1:9/introspect",
				OPAQUETOKEN + "client-id=notes-api", OPAQUETOKEN + "client-secret=s3cret",
				"token-introspection.validation.allowed-issuers=" + TestIssuer.ISSUER,
				"token-introspection.resilience.retry.enabled=false");

	@AfterEach
	void stop() {
		this.issuer.close();
	}

	@Test
	void contextWhenJwtNotEnabledThenNoRouter() {
		this.contextRunner.withPropertyValues("token-introspection.jwt.jwk-set-uri=" + this.issuer.jwkSetUri())
			.run((context) -> assertThat(context).hasSingleBean(OpaqueTokenIntrospector.class)
				.doesNotHaveBean(LocalJwtRouter.class));
	}

	@Test
	void contextWhenJwtEnabledThenIssuersJwtVerifiedLocallyAndNothingFetchedAtStartup() {
		this.contextRunner
			.withPropertyValues("token-introspection.jwt.enabled=true",
					"token-introspection.jwt.jwk-set-uri=" + this.issuer.jwkSetUri())
			.run((context) -> {
				assertThat(context).hasSingleBean(LocalJwtRouter.class);
				assertThat(this.issuer.jwksFetches()).isZero();

				assertThat(
						context.getBean(OpaqueTokenIntrospector.class).introspect(this.issuer.accessToken()).getName())
					.isEqualTo("alice");
				assertThat(this.issuer.jwksFetches()).isEqualTo(1);
			});
	}

	@Test
	void contextWhenJwtAndSignedAnswersUseOneKeySetThenItIsFetchedAndCachedOnce() {
		this.contextRunner
			.withPropertyValues("token-introspection.jwt.enabled=true",
					"token-introspection.jwt.jwk-set-uri=" + this.issuer.jwkSetUri(),
					"token-introspection.signed-answers.mode=prefer",
					"token-introspection.signed-answers.jwks-uri=" + this.issuer.jwkSetUri(),
					"token-introspection.signed-answers.issuer=" + TestIssuer.ISSUER)
			.run((context) -> {
				AuthorizationServerConnection connection = context.getBean(AuthorizationServerConnection.class);
				JwksKeys keys = connection.keys(this.issuer.jwkSetUri(), () -> URI.create(this.issuer.jwkSetUri()));

				context.getBean(OpaqueTokenIntrospector.class).introspect(this.issuer.accessToken());

				assertThat(this.issuer.jwksFetches()).isEqualTo(1);
				// The signed answers' verifier looks keys up in the same, now cached,
				// set.
				assertThat(keys.isCached(this.issuer.key().getKeyID())).isTrue();
			});
	}

	@Test
	void contextWhenJwtEnabledWithIssuerUriAndNoJwkSetUriThenStartsWithoutDiscovering() {
		this.contextRunner
			.withPropertyValues("token-introspection.jwt.enabled=true",
					"token-introspection.issuer-uri=" + TestIssuer.ISSUER)
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(LocalJwtRouter.class));
	}

}
