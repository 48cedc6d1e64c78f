package io.github.tokenintrospection.autoconfigure;

import java.time.Clock;
import java.util.List;

import io.github.tokenintrospection.IntrospectionDecider;
import io.github.tokenintrospection.authority.IntrospectionAuthoritiesConverter;
import io.github.tokenintrospection.observation.IntrospectionListener;
import io.github.tokenintrospection.validation.DelegatingClaimsValidator;
import io.github.tokenintrospection.validation.IntrospectionClaimsValidator;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.client.RestClient;

/**
 * What the servlet and the reactive pipelines share: the connection to the authorization
 * server, the authorities mapping, and the decision after each lookup.
 */
@Configuration(proxyBeanMethods = false)
class IntrospectionCommonConfiguration {

	@Bean
	AuthorizationServerConnection tokenIntrospectionConnection(OAuth2ResourceServerProperties resourceServerProperties,
			TokenIntrospectionProperties properties, ObjectProvider<RestClient.Builder> restClientBuilder,
			ObjectProvider<SslBundles> sslBundles) {
		// Spring Boot's builder, when present, brings observation (tracing) of each call. In
		// reactive applications the RestClient serves discovery and client_credentials only,
		// off the event loops.
		CompletionThreadCheck.warnIfThreadPerCall();
		return AuthorizationServerConnection.create(resourceServerProperties.getOpaquetoken(), properties,
				restClientBuilder.getIfAvailable(RestClient::builder), sslBundles.getIfAvailable());
	}

	@Bean
	@ConditionalOnMissingBean
	IntrospectionAuthoritiesConverter tokenIntrospectionAuthoritiesConverter(TokenIntrospectionProperties properties) {
		TokenIntrospectionProperties.Authorities authorities = properties.getAuthorities();
		return new IntrospectionAuthoritiesConverter(authorities.getScopeClaimNames(), authorities.getScopePrefix(),
				authorities.getRoleClaimPaths(), authorities.getRolePrefix());
	}

	/**
	 * The built-in claim validators, then the application's, with the authorities mapping and
	 * the listeners: what both introspectors do with a looked-up token.
	 */
	static IntrospectionDecider decider(TokenIntrospectionProperties properties, Clock clock,
			IntrospectionAuthoritiesConverter authoritiesConverter,
			ObjectProvider<IntrospectionClaimsValidator> userValidators, IntrospectionListener listener) {
		List<IntrospectionClaimsValidator> validators = IntrospectorConfiguration.builtInValidators(properties, clock);
		userValidators.orderedStream().forEach(validators::add);
		return new IntrospectionDecider(new DelegatingClaimsValidator(validators), authoritiesConverter,
				properties.getPrincipalClaimName(), listener);
	}

}
