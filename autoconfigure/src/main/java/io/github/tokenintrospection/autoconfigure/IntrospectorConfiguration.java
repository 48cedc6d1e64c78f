package io.github.tokenintrospection.autoconfigure;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import io.github.tokenintrospection.ValidatingOpaqueTokenIntrospector;
import io.github.tokenintrospection.authority.IntrospectionAuthoritiesConverter;
import io.github.tokenintrospection.cache.CachingIntrospectionClient;
import io.github.tokenintrospection.cache.IntrospectionCaches;
import io.github.tokenintrospection.cache.StaleResultListener;
import io.github.tokenintrospection.client.IntrospectionClient;
import io.github.tokenintrospection.client.RestClientIntrospectionClient;
import io.github.tokenintrospection.client.RestClientIntrospectionClient.ClientCredentials;
import io.github.tokenintrospection.validation.AudienceValidator;
import io.github.tokenintrospection.validation.DelegatingClaimsValidator;
import io.github.tokenintrospection.validation.IntrospectionClaimsValidator;
import io.github.tokenintrospection.validation.IssuerValidator;
import io.github.tokenintrospection.validation.ScopeValidator;
import io.github.tokenintrospection.validation.TimestampValidator;
import io.github.tokenintrospection.validation.TokenTypeValidator;
import io.github.tokenintrospection.web.StaleResponseHeader;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerProperties;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.util.StringUtils;
import org.springframework.web.client.RestClient;

/**
 * The introspection pipeline: HTTP client, cache, claim validators, authorities.
 */
@Configuration(proxyBeanMethods = false)
class IntrospectorConfiguration {

	private static final String OPAQUETOKEN_PREFIX = "spring.security.oauth2.resourceserver.opaquetoken.";

	@Bean
	@ConditionalOnMissingBean(IntrospectionClient.class)
	RestClientIntrospectionClient tokenIntrospectionClient(OAuth2ResourceServerProperties resourceServerProperties,
			TokenIntrospectionProperties properties, ObjectProvider<RestClient.Builder> restClientBuilder) {
		OAuth2ResourceServerProperties.Opaquetoken opaquetoken = resourceServerProperties.getOpaquetoken();
		URI introspectionUri = introspectionUri(opaquetoken.getIntrospectionUri());
		String clientId = required("client-id", opaquetoken.getClientId());
		String clientSecret = required("client-secret", opaquetoken.getClientSecret());
		RestClient restClient = restClientBuilder.getIfAvailable(RestClient::builder)
			.requestFactory(requestFactory(properties))
			.build();
		RestClientIntrospectionClient client = new RestClientIntrospectionClient(restClient, introspectionUri,
				new ClientCredentials(clientId, clientSecret, properties.getClientAuthenticationMethod()),
				properties.getTokenTypeHint());
		client.setMaxResponseSize(properties.getLimits().getMaxResponseSize());
		return client;
	}

	@Bean
	@ConditionalOnMissingBean
	IntrospectionAuthoritiesConverter tokenIntrospectionAuthoritiesConverter(TokenIntrospectionProperties properties) {
		TokenIntrospectionProperties.Authorities authorities = properties.getAuthorities();
		return new IntrospectionAuthoritiesConverter(authorities.getScopeClaimNames(), authorities.getScopePrefix(),
				authorities.getRoleClaimPaths(), authorities.getRolePrefix());
	}

	@Bean
	@ConditionalOnMissingBean(org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector.class)
	ValidatingOpaqueTokenIntrospector opaqueTokenIntrospector(IntrospectionClient tokenIntrospectionClient,
			TokenIntrospectionProperties properties, IntrospectionAuthoritiesConverter authoritiesConverter,
			ObjectProvider<IntrospectionClaimsValidator> userValidators, ObjectProvider<CacheManager> cacheManager,
			ObjectProvider<CircuitBreakerDecorator> circuitBreaker,
			ObjectProvider<StaleResultListener> staleResultListeners) {
		Clock clock = Clock.systemUTC();
		List<StaleResultListener> listeners = new ArrayList<>(List.of(new StaleResponseHeader()));
		staleResultListeners.orderedStream().forEach(listeners::add);
		IntrospectionClientDecorators decorators = new IntrospectionClientDecorators(properties,
				circuitBreaker.getIfAvailable(), listeners, clock);
		IntrospectionClient server = decorators.aroundServerCalls(tokenIntrospectionClient);
		IntrospectionClient client = properties.getCache().isEnabled()
				? cachingClient(server, properties.getCache(), cacheManager, clock) : server;
		client = decorators.aroundCache(client);
		List<IntrospectionClaimsValidator> validators = builtInValidators(properties, clock);
		userValidators.orderedStream().forEach(validators::add);
		return new ValidatingOpaqueTokenIntrospector(client, new DelegatingClaimsValidator(validators),
				authoritiesConverter, properties.getPrincipalClaimName());
	}

	private static CachingIntrospectionClient cachingClient(IntrospectionClient delegate,
			TokenIntrospectionProperties.Cache cache, ObjectProvider<CacheManager> cacheManager, Clock clock) {
		Cache activeTokens = StringUtils.hasText(cache.getName())
				? applicationCache(cache.getName(), cacheManager.getIfAvailable())
				: IntrospectionCaches.activeTokens(cache.getTtl(), cache.getMaxSize(), clock);
		Cache inactiveTokens = IntrospectionCaches.inactiveTokens(cache.getNegativeTtl(), cache.getNegativeMaxSize());
		return new CachingIntrospectionClient(delegate, activeTokens, inactiveTokens, clock);
	}

	private static Cache applicationCache(String name, CacheManager cacheManager) {
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

	private static List<IntrospectionClaimsValidator> builtInValidators(TokenIntrospectionProperties properties,
			Clock clock) {
		TokenIntrospectionProperties.Validation validation = properties.getValidation();
		List<IntrospectionClaimsValidator> validators = new ArrayList<>();
		validators.add(new TimestampValidator(validation.getClockSkew(), clock));
		validators.add(new TokenTypeValidator(validation.getAllowedTokenTypes()));
		if (!validation.getAllowedIssuers().isEmpty()) {
			validators.add(new IssuerValidator(validation.getAllowedIssuers()));
		}
		if (!validation.getRequiredAudiences().isEmpty()) {
			validators.add(new AudienceValidator(validation.getRequiredAudiences()));
		}
		if (!validation.getRequiredScopes().isEmpty()) {
			validators.add(new ScopeValidator(validation.getRequiredScopes(),
					properties.getAuthorities().getScopeClaimNames()));
		}
		return validators;
	}

	private static JdkClientHttpRequestFactory requestFactory(TokenIntrospectionProperties properties) {
		HttpClient httpClient = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(properties.getConnectTimeout())
			// A redirect could carry the token to another host.
			.followRedirects(HttpClient.Redirect.NEVER)
			.build();
		JdkClientHttpRequestFactory requestFactory = new JdkClientHttpRequestFactory(httpClient);
		requestFactory.setReadTimeout(properties.getReadTimeout());
		return requestFactory;
	}

	private static URI introspectionUri(String value) {
		String property = OPAQUETOKEN_PREFIX + "introspection-uri";
		try {
			URI uri = URI.create(value);
			if (uri.getHost() == null || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))) {
				throw new InvalidConfigurationPropertyValueException(property, value, "must be an absolute http(s) URI");
			}
			return uri;
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationPropertyValueException(property, value, "is not a valid URI");
		}
	}

	private static String required(String name, String value) {
		if (!StringUtils.hasText(value)) {
			throw new InvalidConfigurationPropertyValueException(OPAQUETOKEN_PREFIX + name, null,
					"must be set: the introspection endpoint requires client authentication");
		}
		return value;
	}

}
