package io.github.tokenintrospection.autoconfigure;

import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.github.benmanes.caffeine.cache.Ticker;
import io.github.tokenintrospection.authority.IntrospectionAuthoritiesConverter;
import io.github.tokenintrospection.cache.IntrospectionCacheControl;
import io.github.tokenintrospection.cache.StaleResultListener;
import io.github.tokenintrospection.internal.cache.TokenCaches;
import io.github.tokenintrospection.internal.jose.JwksKeys;
import io.github.tokenintrospection.internal.jwt.LocalJwtRouter;
import io.github.tokenintrospection.internal.jwt.Revalidation;
import io.github.tokenintrospection.internal.jwt.VerifiedJwts;
import io.github.tokenintrospection.internal.possession.PossessionCheck;
import io.github.tokenintrospection.internal.web.ResourceMetadata;
import io.github.tokenintrospection.observation.IntrospectionListener;
import io.github.tokenintrospection.pipeline.IntrospectionPipelineCustomizer;
import io.github.tokenintrospection.validation.IntrospectionClaimsValidator;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;
import org.springframework.web.client.RestClient;

/**
 * What the servlet and the reactive pipelines share: the connection to the authorization
 * server and how the client authenticates to it, the authorities mapping, and the
 * properties applied to the pipeline.
 */
@Configuration(proxyBeanMethods = false)
class IntrospectionCommonConfiguration {

	private static final String JWT = TokenIntrospectionProperties.PREFIX + ".jwt.";

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
		return authoritiesConverter(properties);
	}

	static IntrospectionAuthoritiesConverter authoritiesConverter(TokenIntrospectionProperties properties) {
		TokenIntrospectionProperties.Authorities authorities = properties.getAuthorities();
		return new IntrospectionAuthoritiesConverter(authorities.getScopeClaimNames(), authorities.getScopePrefix(),
				authorities.getRoleClaimPaths(), authorities.getRolePrefix());
	}

	/**
	 * The servers of {@code token-introspection.authorization-servers}, beside the
	 * default one (none unless configured). Their caches are shared through Redis when
	 * the default server's are.
	 */
	@Bean
	NamedAuthorizationServers tokenIntrospectionNamedServers(TokenIntrospectionProperties properties,
			Environment environment, ObjectProvider<RestClient.Builder> restClientBuilder,
			ObjectProvider<SslBundles> sslBundles, ObjectProvider<ServerCachesFactory> caches) {
		return NamedAuthorizationServers.create(properties, environment,
				() -> restClientBuilder.getIfAvailable(RestClient::builder), sslBundles.getIfAvailable(),
				caches.getIfAvailable(() -> ServerCachesFactory.LOCAL));
	}

	@Bean
	IntrospectionPipelineConfigurer tokenIntrospectionPipelineConfigurer(TokenIntrospectionProperties properties,
			AuthorizationServerConnection connection,
			ObjectProvider<IntrospectionAuthoritiesConverter> authoritiesConverter,
			ObjectProvider<IntrospectionClaimsValidator> validators, ObjectProvider<IntrospectionListener> listeners,
			ObjectProvider<StaleResultListener> staleResultListeners, ObjectProvider<TokenCaches> caches,
			ObjectProvider<IntrospectionPipelineCustomizer> customizers, ObjectProvider<LocalJwtRouter> localJwt,
			ObjectProvider<PossessionCheck> possessionCheck, RefreshAheadListeners refreshAheadListeners) {
		return new IntrospectionPipelineConfigurer(properties, connection.issuerUri(), authoritiesConverter, validators,
				listeners, staleResultListeners, caches, customizers, localJwt, possessionCheck, refreshAheadListeners);
	}

	@Bean
	RefreshAheadListeners tokenIntrospectionRefreshAheadListeners() {
		return new RefreshAheadListeners();
	}

	/**
	 * The eviction API over the named servers' caches when the default server caches
	 * nothing (with its cache on, {@link IntrospectionCacheConfiguration} covers all).
	 */
	@Bean
	@ConditionalOnBooleanProperty(name = TokenIntrospectionProperties.PREFIX + ".cache.enabled", havingValue = false)
	@Conditional(NamedServersCondition.class)
	@ConditionalOnMissingBean
	IntrospectionCacheControl tokenIntrospectionNamedServersCacheControl(NamedAuthorizationServers servers) {
		return servers.cacheControl(null);
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
		return localJwtRouter(properties, connection);
	}

	static LocalJwtRouter localJwtRouter(TokenIntrospectionProperties properties,
			AuthorizationServerConnection connection) {
		TokenIntrospectionProperties.Jwt jwt = properties.getJwt();
		String issuer = localJwtIssuer(properties, connection);
		if (!StringUtils.hasText(jwt.getJwkSetUri()) && connection.issuerUri() == null) {
			throw new InvalidConfigurationPropertyValueException(JWT + "jwk-set-uri", null,
					"must be set when " + TokenIntrospectionProperties.PREFIX
							+ ".issuer-uri is not (its discovery metadata would name the JWKS)");
		}
		JwksKeys keys = connection.keys(jwt.getJwkSetUri(), connection.jwkSetUri(jwt.getJwkSetUri()));
		// Verified tokens are kept like introspection results (cache.ttl, cache.max-size,
		// never past exp): a signature costs about a hundred cache lookups.
		TokenIntrospectionProperties.Cache cache = properties.getCache();
		VerifiedJwts verified = cache.isEnabled()
				? new VerifiedJwts(cache.getTtl(), cache.getMaxSize(), Clock.systemUTC()) : null;
		Revalidation revalidation = (jwt.getRevalidateAfter() != null) ? new Revalidation(jwt.getRevalidateAfter(),
				cache.getMaxSize(), Clock.systemUTC(), Ticker.systemTicker()) : null;
		return new LocalJwtRouter(new LocalJwtRouter.Settings(issuer, jwt.getAlgorithms(), jwt.getTypes(),
				jwt.getRequiredClaims(), jwt.getIntrospectPaths()), keys, verified, revalidation);
	}

	/**
	 * What the resource server says of itself (RFC 9728): its authorization servers are
	 * each server's issuer (issuer-uri or a service connection's), else its allowed
	 * issuers.
	 */
	@Bean
	@ConditionalOnBooleanProperty(name = TokenIntrospectionProperties.PREFIX + ".resource-metadata.enabled",
			matchIfMissing = true)
	ResourceMetadata tokenIntrospectionResourceMetadata(TokenIntrospectionProperties properties,
			AuthorizationServerConnection connection, NamedAuthorizationServers namedServers,
			ObjectProvider<PossessionCheck> possessionCheck, Environment environment) {
		Set<String> authorizationServers = new LinkedHashSet<>(metadataIssuers(properties, connection));
		namedServers.servers()
			.forEach(
					(server) -> authorizationServers.addAll(metadataIssuers(server.properties(), server.connection())));
		PossessionCheck possession = possessionCheck.getIfAvailable();
		TokenIntrospectionProperties.SenderConstraint senderConstraint = properties.getSenderConstraint();
		List<String> dpopAlgorithms = (possession != null && senderConstraint.getDpop().isEnabled())
				? senderConstraint.getDpop().getAlgorithms() : List.of();
		// Certificate-bound tokens can only be used where the server asks for client
		// certificates; DPoP is "required" only when no certificate-bound token can stand
		// in for a DPoP-bound one.
		String clientAuth = environment.getProperty("server.ssl.client-auth", "none");
		boolean certificateBound = possession != null
				&& ("want".equalsIgnoreCase(clientAuth) || "need".equalsIgnoreCase(clientAuth));
		return new ResourceMetadata(List.copyOf(authorizationServers),
				properties.getResourceMetadata().getScopesSupported(), dpopAlgorithms,
				senderConstraint.isRequired() && !certificateBound && !dpopAlgorithms.isEmpty(), certificateBound);
	}

	private static List<String> metadataIssuers(TokenIntrospectionProperties properties,
			AuthorizationServerConnection connection) {
		return (connection.issuerUri() != null) ? List.of(connection.issuerUri().toString())
				: properties.getValidation().getAllowedIssuers();
	}

	/**
	 * The one issuer whose JWTs are verified locally: the connection's issuer
	 * ({@code issuer-uri}, or a service connection's), else the only entry of
	 * {@code validation.allowed-issuers}; never several, as one JWKS serves one issuer.
	 */
	private static String localJwtIssuer(TokenIntrospectionProperties properties,
			AuthorizationServerConnection connection) {
		if (connection.issuerUri() != null) {
			return connection.issuerUri().toString();
		}
		List<String> allowed = properties.getValidation().getAllowedIssuers();
		if (allowed.size() != 1) {
			throw new InvalidConfigurationPropertyValueException(JWT + "enabled", true,
					"needs the issuer whose tokens are verified: set " + TokenIntrospectionProperties.PREFIX
							+ ".issuer-uri, or exactly one " + TokenIntrospectionProperties.PREFIX
							+ ".validation.allowed-issuers");
		}
		return allowed.get(0);
	}

}
