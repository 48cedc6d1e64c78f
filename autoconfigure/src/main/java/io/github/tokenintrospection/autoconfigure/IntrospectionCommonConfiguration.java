package io.github.tokenintrospection.autoconfigure;

import java.time.Clock;

import io.github.tokenintrospection.authority.IntrospectionAuthoritiesConverter;
import io.github.tokenintrospection.cache.StaleResultListener;
import io.github.tokenintrospection.internal.cache.TokenCaches;
import io.github.tokenintrospection.observation.IntrospectionListener;
import io.github.tokenintrospection.pipeline.IntrospectionPipelineCustomizer;
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
 * server and how the client authenticates to it, the authorities mapping, and the
 * properties applied to the pipeline.
 */
@Configuration(proxyBeanMethods = false)
class IntrospectionCommonConfiguration {

	@Bean
	@ConditionalOnMissingBean(TokenIntrospectionConnectionDetails.class)
	PropertiesTokenIntrospectionConnectionDetails tokenIntrospectionConnectionDetails(
			OAuth2ResourceServerProperties resourceServerProperties, TokenIntrospectionProperties properties) {
		return new PropertiesTokenIntrospectionConnectionDetails(resourceServerProperties.getOpaquetoken(), properties);
	}

	@Bean
	AuthorizationServerConnection tokenIntrospectionConnection(TokenIntrospectionConnectionDetails connectionDetails,
			TokenIntrospectionProperties properties, ObjectProvider<RestClient.Builder> restClientBuilder,
			ObjectProvider<SslBundles> sslBundles) {
		// Spring Boot's builder, when present, brings observation (tracing) of each call.
		// In
		// reactive applications the RestClient serves discovery and client_credentials
		// only,
		// off the event loops.
		CompletionThreadCheck.warnIfThreadPerCall();
		return AuthorizationServerConnection.create(connectionDetails, properties,
				restClientBuilder.getIfAvailable(RestClient::builder), sslBundles.getIfAvailable());
	}

	@Bean
	ClientAuthenticationFactory tokenIntrospectionClientAuthenticationFactory(
			TokenIntrospectionConnectionDetails connectionDetails, TokenIntrospectionProperties properties,
			ObjectProvider<SslBundles> sslBundles, AuthorizationServerConnection connection) {
		// Nothing is checked until a client of the starter's own asks for its
		// authentication.
		return new ClientAuthenticationFactory(properties, connectionDetails, sslBundles.getIfAvailable(), connection,
				Clock.systemUTC());
	}

	@Bean
	@ConditionalOnMissingBean
	IntrospectionAuthoritiesConverter tokenIntrospectionAuthoritiesConverter(TokenIntrospectionProperties properties) {
		TokenIntrospectionProperties.Authorities authorities = properties.getAuthorities();
		return new IntrospectionAuthoritiesConverter(authorities.getScopeClaimNames(), authorities.getScopePrefix(),
				authorities.getRoleClaimPaths(), authorities.getRolePrefix());
	}

	@Bean
	IntrospectionPipelineConfigurer tokenIntrospectionPipelineConfigurer(TokenIntrospectionProperties properties,
			AuthorizationServerConnection connection,
			ObjectProvider<IntrospectionAuthoritiesConverter> authoritiesConverter,
			ObjectProvider<IntrospectionClaimsValidator> validators, ObjectProvider<IntrospectionListener> listeners,
			ObjectProvider<StaleResultListener> staleResultListeners, ObjectProvider<TokenCaches> caches,
			ObjectProvider<IntrospectionPipelineCustomizer> customizers) {
		return new IntrospectionPipelineConfigurer(properties, connection.issuerUri(), authoritiesConverter, validators,
				listeners, staleResultListeners, caches, customizers);
	}

}
