package io.github.tokenintrospection.autoconfigure;

import io.github.tokenintrospection.internal.possession.PossessionCheck;
import io.github.tokenintrospection.internal.reactive.DPoPSchemeWebFilter;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerAutoConfiguration;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.reactive.ReactiveOAuth2ResourceServerAutoConfiguration;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code token-introspection.sender-constraint.*}: the checks on by default on both
 * stacks; with {@code dpop.enabled=false}, the servlet filters that take the DPoP scheme
 * are gone, while WebFlux still hands what the caller presented to the introspector.
 */
class SenderConstraintAutoConfigurationTests {

	private static final String[] DEFAULT_SERVER = {
			"spring.security.oauth2.resourceserver.opaquetoken.introspection-uri=https://idp.example/introspect",
			"spring.security.oauth2.resourceserver.opaquetoken.client-id=notes-api",
			"spring.security.oauth2.resourceserver.opaquetoken.client-secret=s3cret" };

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TokenIntrospectionAutoConfiguration.class,
				OAuth2ResourceServerAutoConfiguration.class))
		.withPropertyValues(DEFAULT_SERVER);

	private final ReactiveWebApplicationContextRunner reactiveRunner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ReactiveTokenIntrospectionAutoConfiguration.class,
				ReactiveOAuth2ResourceServerAutoConfiguration.class))
		.withPropertyValues(DEFAULT_SERVER);

	@Test
	void servletWhenDefaultsThenDPoPTakenInEveryResourceServerChain() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(PossessionCheck.class)
				.hasBean("tokenIntrospectionDPoPSchemeFilter")
				.hasBean("tokenIntrospectionDPoPChains");
			assertThat(context.getBean(PossessionCheck.class).dpopAlgorithms()).startsWith("ES256");
		});
	}

	@Test
	void servletWhenDPoPLeftToTheApplicationThenNoDPoPFiltersButTheChecksStay() {
		this.contextRunner.withPropertyValues("token-introspection.sender-constraint.dpop.enabled=false")
			.run((context) -> {
				assertThat(context).hasSingleBean(PossessionCheck.class)
					.doesNotHaveBean("tokenIntrospectionDPoPSchemeFilter")
					.doesNotHaveBean("tokenIntrospectionDPoPChains");
			});
	}

	@Test
	void reactiveWhenDefaultsOrDPoPLeftToTheApplicationThenTheFilterHandsOverWhatWasPresented() {
		this.reactiveRunner.run((context) -> assertThat(context).hasSingleBean(DPoPSchemeWebFilter.class)
			.hasSingleBean(PossessionCheck.class));
		this.reactiveRunner.withPropertyValues("token-introspection.sender-constraint.dpop.enabled=false")
			.run((context) -> assertThat(context).hasSingleBean(DPoPSchemeWebFilter.class));
	}

	@Test
	void nonceWhenEnabledThenAFreshNonceForChallenges() {
		this.contextRunner.withPropertyValues("token-introspection.sender-constraint.dpop.nonce.enabled=true")
			.run((context) -> assertThat(context.getBean(PossessionCheck.class).freshNonce()).isNotBlank());
		this.contextRunner.run((context) -> assertThat(context.getBean(PossessionCheck.class).freshNonce()).isNull());
	}

}
