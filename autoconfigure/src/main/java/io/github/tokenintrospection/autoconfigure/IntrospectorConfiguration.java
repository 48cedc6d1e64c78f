package io.github.tokenintrospection.autoconfigure;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import io.github.tokenintrospection.ValidatingOpaqueTokenIntrospector;
import io.github.tokenintrospection.authority.IntrospectionAuthoritiesConverter;
import io.github.tokenintrospection.cache.CachingIntrospectionClient;
import io.github.tokenintrospection.cache.StaleResultListener;
import io.github.tokenintrospection.cache.TokenCaches;
import io.github.tokenintrospection.cache.TokenLookup;
import io.github.tokenintrospection.client.IntrospectionClient;
import io.github.tokenintrospection.client.RestClientIntrospectionClient;
import io.github.tokenintrospection.client.authentication.ClientAuthentication;
import io.github.tokenintrospection.observation.IntrospectionListener;
import io.github.tokenintrospection.observation.IntrospectionListeners;
import io.github.tokenintrospection.observation.ObservedIntrospectionClient;
import io.github.tokenintrospection.validation.AudienceValidator;
import io.github.tokenintrospection.validation.IntrospectionClaimsValidator;
import io.github.tokenintrospection.validation.IssuerValidator;
import io.github.tokenintrospection.validation.ScopeValidator;
import io.github.tokenintrospection.validation.TimestampValidator;
import io.github.tokenintrospection.validation.TokenTypeValidator;
import io.github.tokenintrospection.web.StaleResponseHeader;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;
import org.springframework.util.StringUtils;

/**
 * The servlet introspection pipeline: the HTTP client, the built-in claim validators, and the
 * introspector that ties them to the cache and the listeners (the connection and authorities
 * come from {@link IntrospectionCommonConfiguration}).
 */
@Configuration(proxyBeanMethods = false)
class IntrospectorConfiguration {

	@Bean
	@ConditionalOnMissingBean(IntrospectionClient.class)
	RestClientIntrospectionClient tokenIntrospectionClient(AuthorizationServerConnection connection,
			OAuth2ResourceServerProperties resourceServerProperties, TokenIntrospectionProperties properties,
			ObjectProvider<SslBundles> sslBundles) {
		ClientAuthentication clientAuthentication = new ClientAuthenticationFactory(properties,
				resourceServerProperties.getOpaquetoken(), sslBundles.getIfAvailable(), connection.issuerUri(),
				connection.metadata(), connection.httpsRequirement(), Clock.systemUTC())
			.create(connection.restClient());
		RestClientIntrospectionClient client = new RestClientIntrospectionClient(connection.restClient(),
				connection.introspectionEndpoint(), clientAuthentication, properties.getTokenTypeHint());
		client.setMaxResponseSize(properties.getLimits().getMaxResponseSize());
		return client;
	}

	@Bean
	@ConditionalOnMissingBean(OpaqueTokenIntrospector.class)
	ValidatingOpaqueTokenIntrospector opaqueTokenIntrospector(IntrospectionClient tokenIntrospectionClient,
			TokenIntrospectionProperties properties, IntrospectionAuthoritiesConverter authoritiesConverter,
			ObjectProvider<IntrospectionClaimsValidator> userValidators, ObjectProvider<TokenCaches> caches,
			ObjectProvider<IntrospectionListener> listeners, ObjectProvider<CircuitBreakerDecorator> circuitBreaker,
			ObjectProvider<StaleResultListener> staleResultListeners) {
		Clock clock = Clock.systemUTC();
		IntrospectionListener listener = new IntrospectionListeners(listeners.orderedStream().toList());
		List<StaleResultListener> staleListeners = new ArrayList<>(List.of(new StaleResponseHeader()));
		staleResultListeners.orderedStream().forEach(staleListeners::add);
		IntrospectionClientDecorators decorators = new IntrospectionClientDecorators(properties,
				circuitBreaker.getIfAvailable(), staleListeners, clock);
		// Listeners see each HTTP call, retries included; not the breaker's fast failures.
		IntrospectionClient server = decorators
			.aroundServerCalls(new ObservedIntrospectionClient(tokenIntrospectionClient, listener));
		TokenCaches tokenCaches = caches.getIfAvailable();
		TokenLookup lookup = decorators.aroundCache((tokenCaches != null)
				? new CachingIntrospectionClient(server, tokenCaches.active(), tokenCaches.inactive(), clock)
				: TokenLookup.uncached(server));
		return new ValidatingOpaqueTokenIntrospector(lookup,
				IntrospectionCommonConfiguration.decider(properties, clock, authoritiesConverter, userValidators, listener));
	}

	/** The claim validators the properties ask for; both pipelines use them. */
	static List<IntrospectionClaimsValidator> builtInValidators(TokenIntrospectionProperties properties,
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

}
