package io.github.tokenintrospection.autoconfigure;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

import io.github.tokenintrospection.IntrospectedToken;
import io.github.tokenintrospection.client.IntrospectionClient;
import io.github.tokenintrospection.pipeline.IntrospectionPipelineCustomizer;
import io.github.tokenintrospection.reactive.ReactiveIntrospectionClient;
import io.github.tokenintrospection.validation.ClaimValidationError;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.AbstractApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.core.OAuth2AuthenticatedPrincipal;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.server.resource.introspection.BadOpaqueTokenException;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;
import org.springframework.security.oauth2.server.resource.introspection.ReactiveOpaqueTokenIntrospector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link IntrospectionPipelineCustomizer} beans adjust the auto-configured pipeline, the
 * same way on both stacks.
 */
class IntrospectionPipelineCustomizerTests {

	private static final String[] OPAQUE_TOKEN = {
			"spring.security.oauth2.resourceserver.opaquetoken.introspection-uri=https://login.example.com/introspect",
			"spring.security.oauth2.resourceserver.opaquetoken.client-id=notes-api",
			"spring.security.oauth2.resourceserver.opaquetoken.client-secret=s3cret" };

	private static final IntrospectedToken ALICE = IntrospectedToken.active(Map.of("sub", "alice"));

	@ParameterizedTest
	@EnumSource
	void customizerWhenItAddsValidatorThenTokenRejected(Stack stack) {
		IntrospectionPipelineCustomizer rejectAlice = (pipeline) -> pipeline
			.validators((validators) -> validators.add((token) -> "alice".equals(token.stringClaim("sub"))
					? OAuth2TokenValidatorResult.failure(new ClaimValidationError("custom", "alice is not welcome"))
					: OAuth2TokenValidatorResult.success()));
		stack.run(rejectAlice,
				(introspector) -> assertThatExceptionOfType(BadOpaqueTokenException.class)
					.isThrownBy(() -> introspector.apply("token"))
					.withMessage("alice is not welcome"));
	}

	@ParameterizedTest
	@EnumSource
	void customizerWhenItWrapsClientThenWrapperSeesCallsBeneathTheCache(Stack stack) {
		AtomicInteger calls = new AtomicInteger();
		IntrospectionPipelineCustomizer counting = (pipeline) -> pipeline.decorateClient((client) -> (token) -> {
			calls.incrementAndGet();
			return client.introspect(token);
		}).decorateReactiveClient((client) -> (token) -> Mono.defer(() -> {
			calls.incrementAndGet();
			return client.introspect(token);
		}));
		stack.run(counting, (introspector) -> {
			introspector.apply("token");
			introspector.apply("token");
			assertThat(calls).hasValue(1);
		});
	}

	@ParameterizedTest
	@EnumSource
	void customizerWhenItChangesAuthorityMappingThenPrincipalHasThoseAuthorities(Stack stack) {
		IntrospectionPipelineCustomizer admin = (pipeline) -> pipeline
			.authoritiesConverter((token) -> List.of(new SimpleGrantedAuthority("ROLE_ADMIN")));
		stack.run(admin,
				(introspector) -> assertThat(introspector.apply("token").getAuthorities())
					.extracting(GrantedAuthority::getAuthority)
					.containsExactly("ROLE_ADMIN"));
	}

	@ParameterizedTest
	@EnumSource
	void customizersWhenOrderedThenAppliedInOrder(Stack stack) {
		stack.run(OrderedCustomizers.class,
				(introspector) -> assertThat(introspector.apply("token").getAuthorities())
					.extracting(GrantedAuthority::getAuthority)
					.containsExactly("SECOND"));
	}

	static class OrderedCustomizers {

		@Bean
		@Order(2)
		IntrospectionPipelineCustomizer second() {
			return (pipeline) -> pipeline.authoritiesConverter(authorities("SECOND"));
		}

		@Bean
		@Order(1)
		IntrospectionPipelineCustomizer first() {
			return (pipeline) -> pipeline.authoritiesConverter(authorities("FIRST"));
		}

		private static Converter<IntrospectedToken, Collection<GrantedAuthority>> authorities(String authority) {
			return (token) -> List.of(new SimpleGrantedAuthority(authority));
		}

	}

	/** The stack under test, with a client that knows one active token. */
	enum Stack {

		SERVLET {
			@Override
			void run(Object customization, Consumer<Function<String, OAuth2AuthenticatedPrincipal>> assertions) {
				with(new WebApplicationContextRunner()
					.withConfiguration(AutoConfigurations.of(TokenIntrospectionAutoConfiguration.class))
					.withPropertyValues(OPAQUE_TOKEN)
					.withBean(IntrospectionClient.class, () -> (token) -> ALICE), customization).run((context) -> {
						assertThat(context).hasNotFailed();
						OpaqueTokenIntrospector introspector = context.getBean(OpaqueTokenIntrospector.class);
						assertions.accept(introspector::introspect);
					});
			}
		},

		REACTIVE {
			@Override
			void run(Object customization, Consumer<Function<String, OAuth2AuthenticatedPrincipal>> assertions) {
				with(new ReactiveWebApplicationContextRunner()
					.withConfiguration(AutoConfigurations.of(ReactiveTokenIntrospectionAutoConfiguration.class))
					.withPropertyValues(OPAQUE_TOKEN)
					.withBean(ReactiveIntrospectionClient.class, () -> (token) -> Mono.just(ALICE)), customization)
					.run((context) -> {
						assertThat(context).hasNotFailed();
						ReactiveOpaqueTokenIntrospector introspector = context
							.getBean(ReactiveOpaqueTokenIntrospector.class);
						assertions.accept((token) -> introspector.introspect(token).block());
					});
			}
		};

		/**
		 * Runs the assertions against the stack's introspector.
		 * @param customization an {@link IntrospectionPipelineCustomizer} to register, or
		 * a configuration class that declares some
		 */
		abstract void run(Object customization, Consumer<Function<String, OAuth2AuthenticatedPrincipal>> assertions);

		private static <R extends AbstractApplicationContextRunner<R, ?, ?>> R with(R runner, Object customization) {
			return (customization instanceof Class<?> configuration) ? runner.withUserConfiguration(configuration)
					: runner.withBean(IntrospectionPipelineCustomizer.class,
							() -> (IntrospectionPipelineCustomizer) customization);
		}

	}

}
