package io.github.tokenintrospection.autoconfigure;

import java.time.Clock;

import io.github.tokenintrospection.cache.IntrospectionCacheControl;
import io.github.tokenintrospection.internal.cache.IntrospectionCaches;
import io.github.tokenintrospection.internal.cache.TokenCache;
import io.github.tokenintrospection.internal.cache.TokenCacheControl;
import io.github.tokenintrospection.internal.cache.TokenCaches;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.util.StringUtils;

/**
 * The caches of introspection results and the API to evict from them. No
 * {@link CacheManager} is registered, so the application's own cache auto-configuration
 * is left alone.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = TokenIntrospectionProperties.PREFIX + ".cache.enabled", matchIfMissing = true)
@Import(SharedIntrospectionCacheConfiguration.class)
class IntrospectionCacheConfiguration {

	@Bean
	@ConditionalOnMissingBean
	TokenCaches tokenIntrospectionCaches(TokenIntrospectionProperties properties,
			ObjectProvider<CacheManager> cacheManager) {
		TokenIntrospectionProperties.Cache cache = properties.getCache();
		TokenCache active = StringUtils.hasText(cache.getName())
				? IntrospectionCaches.applicationCache(applicationCache(cache.getName(), cacheManager.getIfAvailable()))
				: IntrospectionCaches.activeTokens(cache.getTtl(), cache.getMaxSize(), Clock.systemUTC());
		return new TokenCaches(active,
				IntrospectionCaches.inactiveTokens(cache.getNegativeTtl(), cache.getNegativeMaxSize()));
	}

	@Bean
	@ConditionalOnMissingBean
	IntrospectionCacheControl tokenIntrospectionCacheControl(TokenCaches caches, NamedAuthorizationServers servers) {
		IntrospectionCacheControl defaultServer = new TokenCacheControl(caches.active(), caches.inactive());
		return servers.isEmpty() ? defaultServer : servers.cacheControl(defaultServer);
	}

	private static Cache applicationCache(String name, @Nullable CacheManager cacheManager) {
		String property = TokenIntrospectionProperties.PREFIX + ".cache.name";
		if (cacheManager == null) {
			throw new InvalidConfigurationPropertyValueException(property, name,
					"the application has no CacheManager bean (is caching enabled with @EnableCaching?)");
		}
		Cache cache = cacheManager.getCache(name);
		if (cache == null) {
			throw new InvalidConfigurationPropertyValueException(property, name,
					"the application's CacheManager has no cache of that name");
		}
		return cache;
	}

}
