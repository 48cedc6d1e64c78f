package io.github.tokenintrospection.test;

import io.github.tokenintrospection.autoconfigure.ReactiveTokenIntrospectionAutoConfiguration;
import io.github.tokenintrospection.autoconfigure.TokenIntrospectionAutoConfiguration;
import io.github.tokenintrospection.client.IntrospectionClient;
import io.github.tokenintrospection.reactive.ReactiveIntrospectionClient;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Replaces the starter's HTTP introspection client with one that answers from the answers
 * registered by the test; imported by {@link AutoConfigureIntrospectionAnswers}. Runs
 * before the starter's auto-configurations, whose clients back off when one is present;
 * the rest of the starter's pipeline stays as configured.
 */
@AutoConfiguration(
		before = { TokenIntrospectionAutoConfiguration.class, ReactiveTokenIntrospectionAutoConfiguration.class })
public final class IntrospectionAnswersAutoConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = Type.SERVLET)
	static class ServletAnswers {

		@Bean
		IntrospectionClient introspectionAnswersClient() {
			return new RegisteredAnswerIntrospectionClient();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = Type.REACTIVE)
	@ConditionalOnClass(Mono.class)
	static class ReactiveAnswers {

		@Bean
		ReactiveIntrospectionClient reactiveIntrospectionAnswersClient() {
			return new ReactiveRegisteredAnswerIntrospectionClient();
		}

	}

}
