package io.github.tokenintrospection.autoconfigure;

import io.github.tokenintrospection.IntrospectedToken;
import io.github.tokenintrospection.internal.cache.TokenCaches;
import io.github.tokenintrospection.internal.introspector.ValidatingOpaqueTokenIntrospector;
import io.github.tokenintrospection.internal.reactive.ReactiveValidatingOpaqueTokenIntrospector;
import io.github.tokenintrospection.internal.reactive.ResourceMetadataWebFilter;
import io.github.tokenintrospection.internal.servlet.ResourceMetadataPostProcessor;
import io.github.tokenintrospection.internal.web.ResourceMetadata;
import io.github.tokenintrospection.reactive.AuthorizationServerUnavailableWebFilter;
import io.github.tokenintrospection.reactive.ReactiveIntrospectionClient;
import io.github.tokenintrospection.reactive.WebClientIntrospectionClient;
import io.github.tokenintrospection.web.AuthorizationServerUnavailableFilter;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.security.autoconfigure.ReactiveUserDetailsServiceAutoConfiguration;
import org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.reactive.ReactiveWebSecurityAutoConfiguration;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerAutoConfiguration;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.reactive.ReactiveOAuth2ResourceServerAutoConfiguration;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.web.reactive.ReactiveOAuth2ResourceServerWebSecurityAutoConfiguration;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.cache.caffeine.CaffeineCacheManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;
import org.springframework.security.oauth2.server.resource.introspection.ReactiveOpaqueTokenIntrospector;
import org.springframework.security.oauth2.server.resource.introspection.SpringReactiveOpaqueTokenIntrospector;
import org.springframework.security.web.server.SecurityWebFilterChain;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Servlet beans in servlet applications, reactive beans in reactive applications, and
 * back-off in both.
 */
class ReactiveTokenIntrospectionAutoConfigurationTests {

	private static final String OPAQUETOKEN = "spring.security.oauth2.resourceserver.opaquetoken.";

	private static final String[] OPAQUE_TOKEN = {
			OPAQUETOKEN + "introspection-uri=https://login.example.com/introspect", OPAQUETOKEN + "client-id=notes-api",
			OPAQUETOKEN + "client-secret=s3cret" };

	private final ReactiveWebApplicationContextRunner reactiveRunner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TokenIntrospectionAutoConfiguration.class,
				ReactiveTokenIntrospectionAutoConfiguration.class, ReactiveOAuth2ResourceServerAutoConfiguration.class,
				ReactiveOAuth2ResourceServerWebSecurityAutoConfiguration.class, SecurityAutoConfiguration.class,
				ReactiveWebSecurityAutoConfiguration.class, ReactiveUserDetailsServiceAutoConfiguration.class));

	private final WebApplicationContextRunner servletRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TokenIntrospectionAutoConfiguration.class,
				ReactiveTokenIntrospectionAutoConfiguration.class, OAuth2ResourceServerAutoConfiguration.class));

	@Test
	void resourceMetadataWhenDefaultThenOnBothStacksAndOffWhenSwitchedOff() {
		this.reactiveRunner.withPropertyValues(OPAQUE_TOKEN)
			.run((context) -> assertThat(context).hasSingleBean(ResourceMetadataWebFilter.class)
				.hasSingleBean(ResourceMetadata.class));
		this.servletRunner.withPropertyValues(OPAQUE_TOKEN)
			.run((context) -> assertThat(context).hasSingleBean(ResourceMetadataPostProcessor.class)
				.doesNotHaveBean(ResourceMetadataWebFilter.class));
		this.reactiveRunner.withPropertyValues(OPAQUE_TOKEN)
			.withPropertyValues("token-introspection.resource-metadata.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(ResourceMetadataWebFilter.class)
				.doesNotHaveBean(ResourceMetadata.class));
		this.servletRunner.withPropertyValues(OPAQUE_TOKEN)
			.withPropertyValues("token-introspection.resource-metadata.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(ResourceMetadataPostProcessor.class));
	}

	@Test
	void reactiveApplicationWhenOpaqueTokenConfiguredThenReactiveBeansOnly() {
		this.reactiveRunner.withPropertyValues(OPAQUE_TOKEN).run((context) -> {
			assertThat(context).hasSingleBean(ReactiveOpaqueTokenIntrospector.class)
				.hasSingleBean(ReactiveValidatingOpaqueTokenIntrospector.class)
				.doesNotHaveBean(SpringReactiveOpaqueTokenIntrospector.class)
				.hasSingleBean(WebClientIntrospectionClient.class)
				.hasSingleBean(AuthorizationServerUnavailableWebFilter.class)
				.hasSingleBean(TokenCaches.class)
				.hasSingleBean(SecurityWebFilterChain.class)
				.doesNotHaveBean(OpaqueTokenIntrospector.class)
				.doesNotHaveBean(FilterRegistrationBean.class)
				.hasSingleBean(ReactiveCircuitBreakerDecorator.class)
				.doesNotHaveBean(CircuitBreakerDecorator.class);
		});
	}

	@Test
	void servletApplicationWhenOpaqueTokenConfiguredThenServletBeansOnly() {
		this.servletRunner.withPropertyValues(OPAQUE_TOKEN).run((context) -> {
			assertThat(context).hasSingleBean(ValidatingOpaqueTokenIntrospector.class)
				.doesNotHaveBean(ReactiveOpaqueTokenIntrospector.class)
				.doesNotHaveBean(ReactiveIntrospectionClient.class)
				.doesNotHaveBean(AuthorizationServerUnavailableWebFilter.class)
				.hasSingleBean(CircuitBreakerDecorator.class)
				.doesNotHaveBean(ReactiveCircuitBreakerDecorator.class);
			assertThat(
					context.getBean("authorizationServerUnavailableFilter", FilterRegistrationBean.class).getFilter())
				.isInstanceOf(AuthorizationServerUnavailableFilter.class);
		});
	}

	@Test
	void reactiveApplicationWhenOwnReactiveIntrospectorThenStarterBacksOff() {
		this.reactiveRunner.withPropertyValues(OPAQUE_TOKEN)
			.withUserConfiguration(OwnIntrospector.class)
			.run((context) -> {
				assertThat(context).hasSingleBean(ReactiveOpaqueTokenIntrospector.class)
					.doesNotHaveBean(ReactiveValidatingOpaqueTokenIntrospector.class);
				assertThat(context.getBean(ReactiveOpaqueTokenIntrospector.class))
					.isSameAs(context.getBean(OwnIntrospector.class).introspector);
			});
	}

	@Test
	void servletApplicationWhenOwnIntrospectorThenStarterBacksOff() {
		this.servletRunner.withPropertyValues(OPAQUE_TOKEN)
			.withBean(OpaqueTokenIntrospector.class, () -> (token) -> null)
			.run((context) -> assertThat(context).hasSingleBean(OpaqueTokenIntrospector.class)
				.doesNotHaveBean(ValidatingOpaqueTokenIntrospector.class));
	}

	@Test
	void reactiveApplicationWhenDisabledThenSpringBootsIntrospector() {
		this.reactiveRunner.withPropertyValues(OPAQUE_TOKEN)
			.withPropertyValues("token-introspection.enabled=false")
			.run((context) -> assertThat(context).hasSingleBean(SpringReactiveOpaqueTokenIntrospector.class)
				.doesNotHaveBean(ReactiveValidatingOpaqueTokenIntrospector.class)
				.doesNotHaveBean(AuthorizationServerUnavailableWebFilter.class));
	}

	@Test
	void reactiveApplicationWhenNoEndpointConfiguredThenNothing() {
		this.reactiveRunner.run((context) -> assertThat(context).doesNotHaveBean(ReactiveOpaqueTokenIntrospector.class)
			.doesNotHaveBean(TokenCaches.class));
	}

	@Test
	void reactiveApplicationWhenOwnClientThenIntrospectorUsesIt() {
		this.reactiveRunner.withPropertyValues(OPAQUE_TOKEN)
			.withBean(ReactiveIntrospectionClient.class,
					() -> (token) -> Mono.just(IntrospectedToken.active(java.util.Map.of("sub", "alice"))))
			.run((context) -> {
				assertThat(context).doesNotHaveBean(WebClientIntrospectionClient.class);
				StepVerifier.create(context.getBean(ReactiveOpaqueTokenIntrospector.class).introspect("token"))
					.assertNext((principal) -> assertThat(principal.getName()).isEqualTo("alice"))
					.verifyComplete();
			});
	}

	@Test
	void reactiveApplicationWhenNamedCacheIsNotAsynchronousThenStartUpFailsNamingTheProperty() {
		this.reactiveRunner.withPropertyValues(OPAQUE_TOKEN)
			.withPropertyValues("token-introspection.cache.name=tokens")
			.withBean(CaffeineCacheManager.class, () -> new CaffeineCacheManager("tokens"))
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("token-introspection.cache.name"));
	}

	@Test
	void reactiveApplicationWhenNamedCacheIsAsynchronousThenUsed() {
		this.reactiveRunner.withPropertyValues(OPAQUE_TOKEN)
			.withPropertyValues("token-introspection.cache.name=tokens")
			.withBean(CaffeineCacheManager.class, () -> {
				CaffeineCacheManager manager = new CaffeineCacheManager("tokens");
				manager.setAsyncCacheMode(true);
				return manager;
			})
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(ReactiveValidatingOpaqueTokenIntrospector.class));
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnIntrospector {

		final ReactiveOpaqueTokenIntrospector introspector = (token) -> Mono.empty();

		@Bean
		ReactiveOpaqueTokenIntrospector ownReactiveIntrospector() {
			return this.introspector;
		}

	}

}
