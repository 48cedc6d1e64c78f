package io.github.tokenintrospection.autoconfigure;

import com.github.benmanes.caffeine.cache.Caffeine;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerAutoConfiguration;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerProperties;
import org.springframework.cache.caffeine.CaffeineCache;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Import;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;
import org.springframework.web.client.RestClient;

/**
 * Auto-configuration of a caching, claim-validating {@link OpaqueTokenIntrospector} for
 * servlet resource servers that configure Spring Boot's
 * {@code spring.security.oauth2.resourceserver.opaquetoken.introspection-uri} or the
 * starter's {@code token-introspection.issuer-uri}.
 * <p>
 * Runs before Spring Boot's resource server auto-configuration, so that Boot's default
 * security filter chain picks the introspector up and Boot's own introspector backs off.
 * {@code token-introspection.enabled=false} switches the starter off.
 */
@AutoConfiguration(before = OAuth2ResourceServerAutoConfiguration.class,
		afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
@ConditionalOnClass({ OpaqueTokenIntrospector.class, OAuth2ResourceServerProperties.class, RestClient.class,
		Caffeine.class, CaffeineCache.class, JsonMapper.class })
@ConditionalOnWebApplication(type = Type.SERVLET)
@ConditionalOnBooleanProperty(name = TokenIntrospectionProperties.PREFIX + ".enabled", matchIfMissing = true)
@Conditional(IntrospectionEndpointCondition.class)
@EnableConfigurationProperties({ TokenIntrospectionProperties.class, OAuth2ResourceServerProperties.class })
@Import({ IntrospectionCommonConfiguration.class, IntrospectorConfiguration.class,
		IntrospectionCacheConfiguration.class, SharedIntrospectionCacheConfiguration.CacheDisabledCheck.class,
		IntrospectionListenerConfiguration.class, AuditOutcomeConfiguration.class, ResilienceConfiguration.class,
		ServiceUnavailableResponseConfiguration.class, BearerTokenResolverConfiguration.class,
		ResourceMetadataConfiguration.class, SenderConstraintConfiguration.class, SecurityEventsConfiguration.class })
public final class TokenIntrospectionAutoConfiguration {

}
