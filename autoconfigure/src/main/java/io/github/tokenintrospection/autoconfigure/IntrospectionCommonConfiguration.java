package io.github.tokenintrospection.autoconfigure;

import java.time.Clock;

import com.github.benmanes.caffeine.cache.Ticker;
import io.github.tokenintrospection.authority.IntrospectionAuthoritiesConverter;
import io.github.tokenintrospection.cache.StaleResultListener;
import io.github.tokenintrospection.internal.cache.TokenCaches;
import io.github.tokenintrospection.internal.jose.JwksKeys;
import io.github.tokenintrospection.internal.jwt.LocalJwtRouter;
import io.github.tokenintrospection.internal.jwt.Revalidation;
import io.github.tokenintrospection.internal.jwt.VerifiedJwts;
import io.github.tokenintrospection.observation.IntrospectionListener;
import io.github.tokenintrospection.pipeline.IntrospectionPipelineCustomizer;
import io.github.tokenintrospection.validation.IntrospectionClaimsValidator;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
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
			ObjectProvider<IntrospectionPipelineCustomizer> customizers, ObjectProvider<LocalJwtRouter> localJwt) {
		return new IntrospectionPipelineConfigurer(properties, connection.issuerUri(), authoritiesConverter, validators,
				listeners, staleResultListeners, caches, customizers, localJwt);
	}

	/**
	 * Local verification of the issuer's JWTs (off by default). Nothing is fetched before
	 * the first such token: the JWKS, and its location when discovered, are found on
	 * first use, so the service starts while the authorization server is down.
	 */
	@Bean
	@ConditionalOnProperty(prefix = TokenIntrospectionProperties.PREFIX + ".jwt", name = "enabled",
			havingValue = "true")
	LocalJwtRouter tokenIntrospectionLocalJwtRouter(TokenIntrospectionProperties properties,
			AuthorizationServerConnection connection) {
		TokenIntrospectionProperties.Jwt jwt = properties.getJwt();
		JwksKeys keys = connection.keys(jwt.getJwkSetUri(), connection.jwkSetUri(jwt.getJwkSetUri()));
		// Verified tokens are kept like introspection results (cache.ttl, cache.max-size,
		// never past exp): a signature costs about a hundred cache lookups.
		TokenIntrospectionProperties.Cache cache = properties.getCache();
		VerifiedJwts verified = cache.isEnabled()
				? new VerifiedJwts(cache.getTtl(), cache.getMaxSize(), Clock.systemUTC()) : null;
		Revalidation revalidation = (jwt.getRevalidateAfter() != null) ? new Revalidation(jwt.getRevalidateAfter(),
				cache.getMaxSize(), Clock.systemUTC(), Ticker.systemTicker()) : null;
		return new LocalJwtRouter(
				new LocalJwtRouter.Settings(TokenIntrospectionPropertiesValidator.jwtIssuer(properties),
						jwt.getAlgorithms(), jwt.getTypes(), jwt.getRequiredClaims(), jwt.getIntrospectPaths()),
				keys, verified, revalidation);
	}

}
