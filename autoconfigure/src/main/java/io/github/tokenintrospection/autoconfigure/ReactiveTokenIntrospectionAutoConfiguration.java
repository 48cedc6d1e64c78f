package io.github.tokenintrospection.autoconfigure;

import com.github.benmanes.caffeine.cache.Caffeine;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerProperties;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.reactive.ReactiveOAuth2ResourceServerAutoConfiguration;
import org.springframework.cache.caffeine.CaffeineCache;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Import;
import org.springframework.security.oauth2.server.resource.introspection.ReactiveOpaqueTokenIntrospector;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Auto-configuration of a caching, claim-validating
 * {@link ReactiveOpaqueTokenIntrospector} for reactive (WebFlux) resource servers: the
 * reactive twin of {@link TokenIntrospectionAutoConfiguration}, with the same properties,
 * caches, listeners and circuit breaker.
 * <p>
 * Runs before Spring Boot's reactive resource server auto-configuration, so that Boot's
 * default security filter chain picks the introspector up and Boot's own introspector
 * backs off. {@code token-introspection.enabled=false} switches the starter off.
 */
@AutoConfiguration(before = ReactiveOAuth2ResourceServerAutoConfiguration.class)
@ConditionalOnClass({ ReactiveOpaqueTokenIntrospector.class, OAuth2ResourceServerProperties.class, WebClient.class,
		Mono.class, RestClient.class, Caffeine.class, CaffeineCache.class, JsonMapper.class })
@ConditionalOnWebApplication(type = Type.REACTIVE)
@ConditionalOnBooleanProperty(name = TokenIntrospectionProperties.PREFIX + ".enabled", matchIfMissing = true)
@Conditional(IntrospectionEndpointCondition.class)
@EnableConfigurationProperties({ TokenIntrospectionProperties.class, OAuth2ResourceServerProperties.class })
@Import({ IntrospectionCommonConfiguration.class, ReactiveIntrospectorConfiguration.class,
		IntrospectionCacheConfiguration.class, SharedIntrospectionCacheConfiguration.CacheDisabledCheck.class,
		IntrospectionListenerConfiguration.class, ReactiveAuditOutcomeConfiguration.class,
		ResilienceConfiguration.class, ReactiveResourceMetadataConfiguration.class, SenderConstraintConfiguration.class,
		SecurityEventsConfiguration.class })
public final class ReactiveTokenIntrospectionAutoConfiguration {

}
