package io.github.tokenintrospection.autoconfigure;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import io.github.tokenintrospection.ValidatingOpaqueTokenIntrospector;
import io.github.tokenintrospection.authority.IntrospectionAuthoritiesConverter;
import io.github.tokenintrospection.cache.CachingIntrospectionClient;
import io.github.tokenintrospection.cache.IntrospectionCaches;
import io.github.tokenintrospection.client.IntrospectionClient;
import io.github.tokenintrospection.client.RestClientIntrospectionClient;
import io.github.tokenintrospection.client.HttpsRequirement;
import io.github.tokenintrospection.client.authentication.ClientAuthentication;
import io.github.tokenintrospection.discovery.AuthorizationServerMetadataResolver;
import io.github.tokenintrospection.validation.AudienceValidator;
import io.github.tokenintrospection.validation.DelegatingClaimsValidator;
import io.github.tokenintrospection.validation.IntrospectionClaimsValidator;
import io.github.tokenintrospection.validation.IssuerValidator;
import io.github.tokenintrospection.validation.ScopeValidator;
import io.github.tokenintrospection.validation.TimestampValidator;
import io.github.tokenintrospection.validation.TokenTypeValidator;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerProperties;
import org.springframework.boot.ssl.SslBundles;
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

	static final String OPAQUETOKEN_PREFIX = "spring.security.oauth2.resourceserver.opaquetoken.";

	@Bean
	@ConditionalOnMissingBean(IntrospectionClient.class)
	RestClientIntrospectionClient tokenIntrospectionClient(OAuth2ResourceServerProperties resourceServerProperties,
			TokenIntrospectionProperties properties, ObjectProvider<RestClient.Builder> restClientBuilder,
			ObjectProvider<SslBundles> sslBundles) {
		OAuth2ResourceServerProperties.Opaquetoken opaquetoken = resourceServerProperties.getOpaquetoken();
		HttpsRequirement httpsRequirement = new HttpsRequirement(properties.isAllowInsecureHttp());
		URI introspectionUri = optionalUri(OPAQUETOKEN_PREFIX + "introspection-uri", opaquetoken.getIntrospectionUri(),
				httpsRequirement);
		URI issuerUri = optionalUri(TokenIntrospectionProperties.PREFIX + ".issuer-uri", properties.getIssuerUri(),
				httpsRequirement);
		RestClient restClient = restClientBuilder.getIfAvailable(RestClient::builder)
			.requestFactory(requestFactory(properties, sslBundles.getIfAvailable()))
			.build();
		AuthorizationServerMetadataResolver metadata = (issuerUri != null)
				? new AuthorizationServerMetadataResolver(restClient, issuerUri,
						properties.getClientAuthenticationMethod().metadataName(), httpsRequirement)
				: null;
		Supplier<URI> endpoint = (introspectionUri != null) ? () -> introspectionUri
				: () -> metadata.get().introspectionEndpoint();
		ClientAuthentication clientAuthentication = new ClientAuthenticationFactory(properties, opaquetoken,
				sslBundles.getIfAvailable(), issuerUri, metadata, httpsRequirement, Clock.systemUTC())
			.create(restClient);
		return new RestClientIntrospectionClient(restClient, endpoint, clientAuthentication,
				properties.getTokenTypeHint());
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
			ObjectProvider<IntrospectionClaimsValidator> userValidators, ObjectProvider<CacheManager> cacheManager) {
		Clock clock = Clock.systemUTC();
		IntrospectionClient client = properties.getCache().isEnabled()
				? cachingClient(tokenIntrospectionClient, properties.getCache(), cacheManager, clock)
				: tokenIntrospectionClient;
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
		else if (StringUtils.hasText(properties.getIssuerUri())) {
			// The configured issuer, which discovery checks against the server's metadata.
			validators.add(new IssuerValidator(List.of(properties.getIssuerUri())));
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

	private static JdkClientHttpRequestFactory requestFactory(TokenIntrospectionProperties properties,
			SslBundles sslBundles) {
		HttpClient.Builder httpClient = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(properties.getConnectTimeout())
			// A redirect could carry the token to another host.
			.followRedirects(HttpClient.Redirect.NEVER);
		if (StringUtils.hasText(properties.getSslBundle())) {
			// Trust for a private CA and, for tls_client_auth, the client certificate.
			httpClient.sslContext(ClientAuthenticationFactory
				.sslBundle(sslBundles, TokenIntrospectionProperties.PREFIX + ".ssl-bundle", properties.getSslBundle())
				.createSslContext());
		}
		JdkClientHttpRequestFactory requestFactory = new JdkClientHttpRequestFactory(httpClient.build());
		requestFactory.setReadTimeout(properties.getReadTimeout());
		return requestFactory;
	}

	private static URI optionalUri(String property, String value, HttpsRequirement httpsRequirement) {
		return StringUtils.hasText(value) ? EndpointUris.parse(property, value, httpsRequirement) : null;
	}

}
