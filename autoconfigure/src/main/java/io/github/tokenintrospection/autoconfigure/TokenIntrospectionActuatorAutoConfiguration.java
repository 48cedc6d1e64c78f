package io.github.tokenintrospection.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

import io.github.tokenintrospection.actuate.TokenIntrospectionEndpoint;
import io.github.tokenintrospection.cache.IntrospectionCacheControl;
import io.github.tokenintrospection.client.IntrospectionClient;
import io.github.tokenintrospection.internal.actuate.IntrospectionHealthIndicator;
import io.github.tokenintrospection.internal.cache.MicrometerRefreshAheadListener;
import io.github.tokenintrospection.internal.cache.TokenCaches;
import io.github.tokenintrospection.internal.cache.shared.RedisAccess;
import io.github.tokenintrospection.internal.events.MicrometerSecurityEventListener;
import io.github.tokenintrospection.internal.events.SecurityEventReceiver;
import io.github.tokenintrospection.internal.observation.AuditTrailListener;
import io.github.tokenintrospection.internal.observation.MicrometerIntrospectionListener;
import io.github.tokenintrospection.internal.observation.RecentCallOutcomes;
import io.github.tokenintrospection.reactive.ReactiveIntrospectionClient;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.audit.AuditEventRepository;
import org.springframework.boot.actuate.audit.listener.AuditApplicationEvent;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.ClassUtils;

/**
 * What operators see of the starter, each part only when its library is present:
 * Micrometer meters for calls, decisions and both caches; a health indicator; the
 * {@code tokenintrospection} actuator endpoint; audit events for Spring Boot's audit
 * event repository.
 */
@AutoConfiguration(
		after = { TokenIntrospectionAutoConfiguration.class, ReactiveTokenIntrospectionAutoConfiguration.class },
		afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnBean(RecentCallOutcomes.class)
public final class TokenIntrospectionActuatorAutoConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	@ConditionalOnBean(MeterRegistry.class)
	static class MetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		MicrometerIntrospectionListener tokenIntrospectionMetrics(MeterRegistry registry) {
			return new MicrometerIntrospectionListener(registry);
		}

		@Bean
		MeterBinder tokenIntrospectionCacheMetrics(ObjectProvider<TokenCaches> caches,
				ObjectProvider<NamedAuthorizationServers> namedServers) {
			// cache.gets, cache.size... of the starter's own caches (Caffeine's
			// statistics), each server's under its own cache name; a cache of the
			// application's CacheManager is measured by Spring Boot already.
			return (registry) -> {
				caches.ifAvailable((tokenCaches) -> bind(tokenCaches, registry));
				namedServers.ifAvailable((servers) -> servers.servers()
					.stream()
					.map(NamedAuthorizationServers.Server::caches)
					.filter(Objects::nonNull)
					.forEach((tokenCaches) -> bind(tokenCaches, registry)));
			};
		}

		private static void bind(TokenCaches caches, MeterRegistry registry) {
			caches.active().bindMetrics(registry);
			caches.inactive().bindMetrics(registry);
		}

		@Bean
		MeterBinder tokenIntrospectionSecurityEventMetrics(ObjectProvider<SecurityEventReceiver> receiver) {
			return (registry) -> receiver
				.ifAvailable((events) -> events.listen(new MicrometerSecurityEventListener(registry)));
		}

		@Bean
		MeterBinder tokenIntrospectionRefreshAheadMetrics(ObjectProvider<RefreshAheadListeners> listeners) {
			return (registry) -> listeners.ifAvailable(
					(refreshes) -> refreshes.bind((server) -> new MicrometerRefreshAheadListener(registry, server)));
		}

		@Bean
		MeterBinder tokenIntrospectionRedisMetrics(ObjectProvider<RedisAccess> redisAccess) {
			return (registry) -> redisAccess.ifAvailable((access) -> FunctionCounter
				.builder("token.introspection.redis.errors", access, RedisAccess::failures)
				.description("Calls to Redis (shared cache, eviction channel) that failed or timed out")
				.register(registry));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(AbstractHealthIndicator.class)
	@ConditionalOnEnabledHealthIndicator("tokenintrospection")
	static class HealthConfiguration {

		/** The least time between two health probes while the server is failing. */
		static final Duration PROBE_INTERVAL = Duration.ofSeconds(5);

		@Bean
		@ConditionalOnMissingBean(name = "tokenIntrospectionHealthIndicator")
		IntrospectionHealthIndicator tokenIntrospectionHealthIndicator(RecentCallOutcomes outcomes,
				ObjectProvider<AuthorizationServerConnection> connection, ObjectProvider<IntrospectionClient> client,
				ObjectProvider<ReactiveIntrospectionClient> reactiveClient, TokenIntrospectionProperties properties,
				BeanFactory beanFactory) {
			AuthorizationServerConnection serverConnection = connection.getIfAvailable();
			return new IntrospectionHealthIndicator(outcomes, new IntrospectionHealthIndicator.Settings(
					// Discovery is the health's concern only when it finds the endpoint.
					(serverConnection != null && serverConnection.discoversEndpoint()) ? serverConnection.metadata()
							: null,
					probe(client.getIfAvailable(), reactiveClient.getIfAvailable(), properties), PROBE_INTERVAL,
					CircuitBreakerState.of(beanFactory), properties.getHealth().isDownWhenUnavailable()));
		}

		/**
		 * The health of each named authorization server, under
		 * {@code tokenIntrospectionServers}: its own calls, probe and circuit breaker.
		 */
		@Bean
		@Conditional(NamedServersCondition.class)
		@ConditionalOnMissingBean(name = "tokenIntrospectionServersHealthContributor")
		CompositeHealthContributor tokenIntrospectionServersHealthContributor(NamedAuthorizationServers servers,
				TokenIntrospectionProperties properties) {
			Map<String, IntrospectionHealthIndicator> indicators = new LinkedHashMap<>();
			for (NamedAuthorizationServers.Server server : servers.servers()) {
				IntrospectionClient client = server.healthClient();
				indicators.put(server.name(), new IntrospectionHealthIndicator(server.callOutcomes(),
						new IntrospectionHealthIndicator.Settings(
								server.connection().discoversEndpoint() ? server.connection().metadata() : null,
								() -> client.introspect(IntrospectionHealthIndicator.probeToken()), PROBE_INTERVAL,
								server.circuitBreakerState(), properties.getHealth().isDownWhenUnavailable())));
			}
			return CompositeHealthContributor.fromMap(indicators);
		}

		private static @Nullable Runnable probe(@Nullable IntrospectionClient client,
				@Nullable ReactiveIntrospectionClient reactiveClient, TokenIntrospectionProperties properties) {
			if (client != null) {
				return () -> client.introspect(IntrospectionHealthIndicator.probeToken());
			}
			if (reactiveClient != null) {
				// Health checks run off the event loop (Spring Boot adapts blocking
				// indicators).
				Duration timeout = properties.getConnectTimeout().plus(properties.getReadTimeout()).multipliedBy(2);
				return () -> reactiveClient.introspect(IntrospectionHealthIndicator.probeToken()).block(timeout);
			}
			return null;
		}

	}

	/**
	 * Reads the circuit breaker's state; touches Resilience4j only when it is present.
	 */
	static final class CircuitBreakerState {

		private CircuitBreakerState() {
		}

		static @Nullable Supplier<String> of(BeanFactory beanFactory) {
			if (!ClassUtils.isPresent(ResilienceConfiguration.RESILIENCE4J_CIRCUIT_BREAKER,
					CircuitBreakerState.class.getClassLoader())
					|| !beanFactory.containsBean(ResilienceConfiguration.CircuitBreakerConfiguration.BEAN_NAME)) {
				return null;
			}
			return Resilience4j.state(beanFactory);
		}

		private static final class Resilience4j {

			static Supplier<String> state(BeanFactory beanFactory) {
				io.github.resilience4j.circuitbreaker.CircuitBreaker breaker = beanFactory.getBean(
						ResilienceConfiguration.CircuitBreakerConfiguration.BEAN_NAME,
						io.github.resilience4j.circuitbreaker.CircuitBreaker.class);
				return () -> breaker.getState().name();
			}

		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(Endpoint.class)
	@ConditionalOnBean(IntrospectionCacheControl.class)
	@ConditionalOnAvailableEndpoint(TokenIntrospectionEndpoint.class)
	static class EndpointConfiguration {

		@Bean
		@ConditionalOnMissingBean
		TokenIntrospectionEndpoint tokenIntrospectionEndpoint(IntrospectionCacheControl cacheControl,
				TokenIntrospectionProperties properties) {
			return new TokenIntrospectionEndpoint(cacheControl, properties.getEndpoint().getWriteAuthority());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(AuditApplicationEvent.class)
	@ConditionalOnBean(AuditEventRepository.class)
	static class AuditEventConfiguration {

		@Bean
		@ConditionalOnMissingBean
		AuditTrailListener.AuditEventSink tokenIntrospectionAuditEvents(ApplicationEventPublisher publisher) {
			return (principal, type, data) -> publisher.publishEvent(new AuditApplicationEvent(principal, type, data));
		}

	}

}
