package io.github.tokenintrospection.autoconfigure;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.tokenintrospection.IntrospectedToken;
import io.github.tokenintrospection.cache.StaleResultListener;
import io.github.tokenintrospection.client.AuthorizationServerUnavailableException;
import io.github.tokenintrospection.client.IntrospectionClient;
import io.github.tokenintrospection.web.AuthorizationServerUnavailableFilter;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.oauth2.server.resource.introspection.BadOpaqueTokenException;
import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionException;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * How the resilience settings and limits reach the assembled introspector.
 */
class ResilienceAutoConfigurationTests {

	private static final String OPAQUETOKEN = "spring.security.oauth2.resourceserver.opaquetoken.";

	private static final String[] OPAQUE_TOKEN = { OPAQUETOKEN + "introspection-uri=https://idp.example/introspect",
			OPAQUETOKEN + "client-id=notes-api", OPAQUETOKEN + "client-secret=s3cret" };

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TokenIntrospectionAutoConfiguration.class,
				OAuth2ResourceServerAutoConfiguration.class))
		.withPropertyValues(OPAQUE_TOKEN);

	@Test
	void circuitBreakerWhenDefaultsThenBeanWithConservativeSettings() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(CircuitBreaker.class).hasBean("tokenIntrospectionCircuitBreaker");
			CircuitBreaker circuitBreaker = context.getBean(CircuitBreaker.class);
			assertThat(circuitBreaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
			assertThat(circuitBreaker.getCircuitBreakerConfig().getFailureRateThreshold()).isEqualTo(50);
			assertThat(circuitBreaker.getCircuitBreakerConfig().getSlidingWindowSize()).isEqualTo(20);
			assertThat(circuitBreaker.getCircuitBreakerConfig().getMinimumNumberOfCalls()).isEqualTo(10);
			assertThat(circuitBreaker.getCircuitBreakerConfig().getPermittedNumberOfCallsInHalfOpenState())
				.isEqualTo(3);
			assertThat(circuitBreaker.getCircuitBreakerConfig().getWaitIntervalFunctionInOpenState().apply(1))
				.isEqualTo(30_000);
		});
	}

	@Test
	void circuitBreakerWhenFailuresReachThresholdThenIntrospectorStopsCallingServer() {
		AtomicInteger serverCalls = new AtomicInteger();
		this.contextRunner.withBean(IntrospectionClient.class, () -> (token) -> {
			serverCalls.incrementAndGet();
			throw new AuthorizationServerUnavailableException("HTTP 500", null, false, null);
		})
			.withPropertyValues("token-introspection.resilience.circuit-breaker.minimum-number-of-calls=2",
					"token-introspection.resilience.circuit-breaker.sliding-window-size=2")
			.run((context) -> {
				OpaqueTokenIntrospector introspector = context.getBean(OpaqueTokenIntrospector.class);
				for (int i = 0; i < 5; i++) {
					assertThatExceptionOfType(OAuth2IntrospectionException.class)
						.isThrownBy(() -> introspector.introspect("token"));
				}
				assertThat(serverCalls).hasValue(2);
				assertThat(context.getBean(CircuitBreaker.class).getState()).isEqualTo(CircuitBreaker.State.OPEN);
			});
	}

	@Test
	void circuitBreakerWhenDisabledThenNoBeanAndServerAlwaysCalled() {
		AtomicInteger serverCalls = new AtomicInteger();
		this.contextRunner.withBean(IntrospectionClient.class, () -> (token) -> {
			serverCalls.incrementAndGet();
			throw new AuthorizationServerUnavailableException("HTTP 500", null, false, null);
		}).withPropertyValues("token-introspection.resilience.circuit-breaker.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(CircuitBreaker.class);
			OpaqueTokenIntrospector introspector = context.getBean(OpaqueTokenIntrospector.class);
			for (int i = 0; i < 30; i++) {
				assertThatExceptionOfType(OAuth2IntrospectionException.class)
					.isThrownBy(() -> introspector.introspect("token"));
			}
			assertThat(serverCalls).hasValue(30);
		});
	}

	@Test
	void circuitBreakerWhenApplicationDefinesOneOfThatNameThenItIsUsed() {
		this.contextRunner.withUserConfiguration(UserCircuitBreakerConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(CircuitBreaker.class);
			assertThat(context.getBean(CircuitBreaker.class).getName()).isEqualTo("mine");
		});
	}

	@Test
	void circuitBreakerWhenResilience4jMissingThenStartupFailsNamingTheProperty() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("io.github.resilience4j")).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("token-introspection.resilience.circuit-breaker.enabled")
				.hasMessageContaining("resilience4j-circuitbreaker");
		});
	}

	@Test
	void circuitBreakerWhenResilience4jMissingAndDisabledThenStarts() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("io.github.resilience4j"))
			.withPropertyValues("token-introspection.resilience.circuit-breaker.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(OpaqueTokenIntrospector.class));
	}

	@Test
	void retryWhenRetryableFailureThenIntrospectorRetriesUpToMaxRetries() {
		AtomicInteger serverCalls = new AtomicInteger();
		this.contextRunner.withBean(IntrospectionClient.class, () -> (token) -> {
			serverCalls.incrementAndGet();
			throw new AuthorizationServerUnavailableException("HTTP 503", null, true, null);
		})
			.withPropertyValues("token-introspection.resilience.retry.max-retries=3",
					"token-introspection.resilience.retry.delay=1ms", "token-introspection.resilience.retry.jitter=0ms")
			.run((context) -> {
				assertThatExceptionOfType(OAuth2IntrospectionException.class)
					.isThrownBy(() -> context.getBean(OpaqueTokenIntrospector.class).introspect("token"));
				assertThat(serverCalls).hasValue(4);
			});
	}

	@Test
	void retryWhenDisabledThenOneAttempt() {
		AtomicInteger serverCalls = new AtomicInteger();
		this.contextRunner.withBean(IntrospectionClient.class, () -> (token) -> {
			serverCalls.incrementAndGet();
			throw new AuthorizationServerUnavailableException("HTTP 503", null, true, null);
		}).withPropertyValues("token-introspection.resilience.retry.enabled=false").run((context) -> {
			assertThatExceptionOfType(OAuth2IntrospectionException.class)
				.isThrownBy(() -> context.getBean(OpaqueTokenIntrospector.class).introspect("token"));
			assertThat(serverCalls).hasValue(1);
		});
	}

	@Test
	void staleIfErrorWhenEnabledThenApplicationListenersToldAndTokenAccepted() {
		AtomicBoolean serverDown = new AtomicBoolean();
		List<Duration> staleAges = new ArrayList<>();
		this.contextRunner.withBean(IntrospectionClient.class, () -> (token) -> {
			if (serverDown.get()) {
				throw new AuthorizationServerUnavailableException("Connection refused", null, false, null);
			}
			return IntrospectedToken.active(Map.of("sub", "alice"));
		})
			.withBean(StaleResultListener.class, () -> (token, age, failure) -> staleAges.add(age))
			.withPropertyValues("token-introspection.resilience.stale-if-error.enabled=true",
					"token-introspection.cache.enabled=false")
			.run((context) -> {
				OpaqueTokenIntrospector introspector = context.getBean(OpaqueTokenIntrospector.class);
				introspector.introspect("token");
				serverDown.set(true);

				assertThat(introspector.introspect("token").getName()).isEqualTo("alice");
				assertThat(staleAges).hasSize(1);
			});
	}

	@Test
	void staleIfErrorWhenDefaultsThenOffAndOutageFails() {
		AtomicBoolean serverDown = new AtomicBoolean();
		this.contextRunner.withBean(IntrospectionClient.class, () -> (token) -> {
			if (serverDown.get()) {
				throw new AuthorizationServerUnavailableException("Connection refused", null, false, null);
			}
			return IntrospectedToken.active(Map.of("sub", "alice"));
		}).withPropertyValues("token-introspection.cache.enabled=false").run((context) -> {
			OpaqueTokenIntrospector introspector = context.getBean(OpaqueTokenIntrospector.class);
			introspector.introspect("token");
			serverDown.set(true);

			assertThatExceptionOfType(OAuth2IntrospectionException.class)
				.isThrownBy(() -> introspector.introspect("token"));
		});
	}

	@Test
	void maxTokenLengthWhenSetThenLongerTokensRejectedWithoutCallingServer() {
		AtomicInteger serverCalls = new AtomicInteger();
		this.contextRunner.withBean(IntrospectionClient.class, () -> (token) -> {
			serverCalls.incrementAndGet();
			return IntrospectedToken.active(Map.of("sub", "alice"));
		}).withPropertyValues("token-introspection.limits.max-token-length=32").run((context) -> {
			OpaqueTokenIntrospector introspector = context.getBean(OpaqueTokenIntrospector.class);
			assertThat(introspector.introspect("a".repeat(32)).getName()).isEqualTo("alice");
			assertThatExceptionOfType(BadOpaqueTokenException.class)
				.isThrownBy(() -> introspector.introspect("a".repeat(33)))
				.withMessageContaining("longer than 32");
			assertThat(serverCalls).hasValue(1);
		});
	}

	@Test
	void maxResponseSizeWhenSetThenLargerAnswerIsServerFault() throws IOException {
		try (MockWebServer server = new MockWebServer()) {
			server.start();
			server.enqueue(new MockResponse.Builder().code(200)
				.addHeader("Content-Type", "application/json")
				.body("{\"active\":true,\"sub\":\"alice\",\"padding\":\"" + "x".repeat(2048) + "\"}")
				.build());
			this.contextRunner
				.withPropertyValues(OPAQUETOKEN + "introspection-uri=" + server.url("/introspect"),
						"token-introspection.limits.max-response-size=1KB")
				.run((context) -> assertThatExceptionOfType(OAuth2IntrospectionException.class)
					.isThrownBy(() -> context.getBean(OpaqueTokenIntrospector.class).introspect("token"))
					.withMessageContaining("larger than 1024 bytes"));
		}
	}

	@Test
	void retryAfterWhenSetThenServiceUnavailableResponseCarriesIt() {
		this.contextRunner.withPropertyValues("token-introspection.resilience.retry-after=9s").run((context) -> {
			FilterRegistrationBean<?> registration = context.getBean("authorizationServerUnavailableFilter",
					FilterRegistrationBean.class);
			MockHttpServletResponse response = new MockHttpServletResponse();
			((AuthorizationServerUnavailableFilter) registration.getFilter()).doFilter(new MockHttpServletRequest(),
					response, (req, res) -> {
						throw new AuthenticationServiceException("x", new OAuth2IntrospectionException("down"));
					});
			assertThat(response.getStatus()).isEqualTo(503);
			assertThat(response.getHeader("Retry-After")).isEqualTo("9");
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class UserCircuitBreakerConfiguration {

		@Bean
		CircuitBreaker tokenIntrospectionCircuitBreaker() {
			return CircuitBreaker.ofDefaults("mine");
		}

	}

}
