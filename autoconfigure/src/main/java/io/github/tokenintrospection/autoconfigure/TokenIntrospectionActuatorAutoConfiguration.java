package io.github.tokenintrospection.autoconfigure;

import io.github.tokenintrospection.actuate.TokenIntrospectionEndpoint;
import io.github.tokenintrospection.cache.IntrospectionCacheControl;
import io.github.tokenintrospection.internal.actuate.IntrospectionHealthIndicator;
import io.github.tokenintrospection.internal.cache.TokenCaches;
import io.github.tokenintrospection.internal.cache.shared.RedisAccess;
import io.github.tokenintrospection.internal.observation.AuditTrailListener;
import io.github.tokenintrospection.internal.observation.MicrometerIntrospectionListener;
import io.github.tokenintrospection.internal.observation.RecentCallOutcomes;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

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
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What operators see of the starter, each part only when its library is present: Micrometer
 * meters for calls, decisions and both caches; a health indicator; the
 * {@code tokenintrospection} actuator endpoint; audit events for Spring Boot's audit event
 * repository.
 */
@AutoConfiguration(after = { TokenIntrospectionAutoConfiguration.class, ReactiveTokenIntrospectionAutoConfiguration.class },
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
		MeterBinder tokenIntrospectionCacheMetrics(ObjectProvider<TokenCaches> caches) {
			// cache.gets, cache.size... of the starter's own caches (Caffeine's statistics); a
			// cache of the application's CacheManager is measured by Spring Boot already.
			return (registry) -> caches.ifAvailable((tokenCaches) -> {
				tokenCaches.active().bindMetrics(registry);
				tokenCaches.inactive().bindMetrics(registry);
			});
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

		@Bean
		@ConditionalOnMissingBean(name = "tokenIntrospectionHealthIndicator")
		IntrospectionHealthIndicator tokenIntrospectionHealthIndicator(RecentCallOutcomes outcomes,
				ObjectProvider<AuthorizationServerConnection> connection) {
			AuthorizationServerConnection serverConnection = connection.getIfAvailable();
			return new IntrospectionHealthIndicator(outcomes,
					(serverConnection != null) ? serverConnection.metadata() : null);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(Endpoint.class)
	@ConditionalOnBean(IntrospectionCacheControl.class)
	@ConditionalOnAvailableEndpoint(TokenIntrospectionEndpoint.class)
	static class EndpointConfiguration {

		@Bean
		@ConditionalOnMissingBean
		TokenIntrospectionEndpoint tokenIntrospectionEndpoint(IntrospectionCacheControl cacheControl) {
			return new TokenIntrospectionEndpoint(cacheControl);
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
