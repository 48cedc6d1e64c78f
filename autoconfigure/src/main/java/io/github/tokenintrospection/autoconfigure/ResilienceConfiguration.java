package io.github.tokenintrospection.autoconfigure;

import java.time.Clock;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.tokenintrospection.internal.resilience.CircuitBreakerIntrospectionClient;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The circuit breaker in front of the authorization server, handed to the servlet or the
 * reactive pipeline. Retries and stale-if-error need no library beyond Spring and
 * Caffeine and are set from the properties with the rest of the pipeline.
 */
@Configuration(proxyBeanMethods = false)
class ResilienceConfiguration {

	static final String CIRCUIT_BREAKER_ENABLED = TokenIntrospectionProperties.PREFIX
			+ ".resilience.circuit-breaker.enabled";

	static final String RESILIENCE4J_CIRCUIT_BREAKER = "io.github.resilience4j.circuitbreaker.CircuitBreaker";

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = RESILIENCE4J_CIRCUIT_BREAKER)
	@ConditionalOnBooleanProperty(name = CIRCUIT_BREAKER_ENABLED, matchIfMissing = true)
	static class CircuitBreakerConfiguration {

		/** Name of the circuit breaker bean, which an application may replace. */
		static final String BEAN_NAME = "tokenIntrospectionCircuitBreaker";

		@Bean(BEAN_NAME)
		@ConditionalOnMissingBean(name = BEAN_NAME)
		CircuitBreaker tokenIntrospectionCircuitBreaker(TokenIntrospectionProperties properties) {
			return circuitBreaker("token-introspection", properties);
		}

		@Bean
		@ConditionalOnWebApplication(type = Type.SERVLET)
		CircuitBreakerDecorator tokenIntrospectionCircuitBreakerDecorator(
				@Qualifier(BEAN_NAME) CircuitBreaker circuitBreaker) {
			return (pipeline) -> pipeline.circuitBreaker(circuitBreaker);
		}

		@Bean
		@ConditionalOnWebApplication(type = Type.REACTIVE)
		ReactiveCircuitBreakerDecorator tokenIntrospectionReactiveCircuitBreakerDecorator(
				@Qualifier(BEAN_NAME) CircuitBreaker circuitBreaker) {
			return (pipeline) -> pipeline.circuitBreaker(circuitBreaker);
		}

	}

	/** A circuit breaker of the given name with a server's settings. */
	static CircuitBreaker circuitBreaker(String name, TokenIntrospectionProperties properties) {
		TokenIntrospectionProperties.Resilience.CircuitBreaker settings = properties.getResilience()
			.getCircuitBreaker();
		return CircuitBreakerIntrospectionClient.circuitBreaker(name,
				new CircuitBreakerIntrospectionClient.Settings(settings.getFailureRateThreshold(),
						settings.getSlidingWindowSize(), settings.getMinimumNumberOfCalls(),
						settings.getWaitDurationInOpenState(), settings.getPermittedNumberOfCallsInHalfOpenState()),
				Clock.systemUTC());
	}

	static InvalidConfigurationPropertyValueException missingResilience4j() {
		return new InvalidConfigurationPropertyValueException(CIRCUIT_BREAKER_ENABLED, true,
				"needs io.github.resilience4j:resilience4j-circuitbreaker on the class path "
						+ "(the starter brings it); add it, or set the property to false");
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingClass(RESILIENCE4J_CIRCUIT_BREAKER)
	@ConditionalOnBooleanProperty(name = CIRCUIT_BREAKER_ENABLED, matchIfMissing = true)
	static class MissingCircuitBreakerConfiguration {

		@Bean
		@ConditionalOnWebApplication(type = Type.SERVLET)
		CircuitBreakerDecorator tokenIntrospectionCircuitBreakerDecorator() {
			throw missingResilience4j();
		}

		@Bean
		@ConditionalOnWebApplication(type = Type.REACTIVE)
		ReactiveCircuitBreakerDecorator tokenIntrospectionReactiveCircuitBreakerDecorator() {
			throw missingResilience4j();
		}

	}

}
