package io.github.tokenintrospection.autoconfigure;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.core.io.support.SpringFactoriesLoader;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A misspelled {@code token-introspection.*} key stops the application, naming the key
 * and the closest valid one: a misspelled key must not switch a check off in silence.
 */
class UnknownPropertyTests {

	private static final String OPAQUETOKEN = "spring.security.oauth2.resourceserver.opaquetoken.";

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TokenIntrospectionAutoConfiguration.class,
				OAuth2ResourceServerAutoConfiguration.class))
		.withPropertyValues(OPAQUETOKEN + "introspection-uri=https://idp.example/introspect",
				OPAQUETOKEN + "client-id=notes-api", OPAQUETOKEN + "client-secret=s3cret");

	@ParameterizedTest
	@CsvSource({ "validation.allowed-issuer, token-introspection.validation.allowed-issuers",
			"cache.tll, token-introspection.cache.ttl",
			"validation.requried-audiences[0], token-introspection.validation.required-audiences",
			"cache.redis.enabeld, token-introspection.cache.redis.enabled" })
	void startupWhenKeyMisspelledThenFailsNamingKeyAndClosestValidOne(String misspelled, String meant) {
		this.contextRunner.withPropertyValues("token-introspection." + misspelled + "=x").run((context) -> {
			assertThat(context).hasFailed();
			Throwable failure = context.getStartupFailure();
			assertThat(failure).rootCause()
				.isInstanceOf(UnboundConfigurationPropertiesException.class)
				.hasMessageContaining("token-introspection." + misspelled.replaceAll("\\[.*", ""));
			FailureAnalysis analysis = new UnknownPropertyFailureAnalyzer().analyze(failure);
			assertThat(analysis).isNotNull();
			assertThat(analysis.getDescription()).contains("did you mean '" + meant + "'?");
		});
	}

	@Test
	void startupWhenKeyFarFromAnyThenFailsWithoutGuess() {
		this.contextRunner.withPropertyValues("token-introspection.something-else-entirely=x").run((context) -> {
			FailureAnalysis analysis = new UnknownPropertyFailureAnalyzer().analyze(context.getStartupFailure());
			assertThat(analysis).isNotNull();
			assertThat(analysis.getDescription()).contains("token-introspection.something-else-entirely")
				.doesNotContain("did you mean");
		});
	}

	@Test
	void startupWhenOnlyKnownKeysThenStarts() {
		this.contextRunner
			.withPropertyValues("token-introspection.validation.allowed-issuers[0]=https://idp.example",
					"token-introspection.cache.ttl=30s")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void knownNamesWhenReadFromMetadataThenHoldEveryBoundProperty() {
		assertThat(UnknownPropertyFailureAnalyzer.knownNames()).contains("token-introspection.cache.ttl",
				"token-introspection.validation.allowed-issuers", "token-introspection.cache.redis.enabled");
	}

	@Test
	void failureAnalyzersWhenLoadedThenIncludeTheStartersOwn() {
		// Some of Spring Boot's analyzers need constructor arguments: skip those.
		assertThat(SpringFactoriesLoader.forDefaultResourceLocation()
			.load(FailureAnalyzer.class, null, SpringFactoriesLoader.FailureHandler.handleMessage((message, ex) -> {
			}))).anyMatch(UnknownPropertyFailureAnalyzer.class::isInstance);
	}

}
