package io.github.tokenintrospection.autoconfigure;

import java.time.Clock;

import io.github.tokenintrospection.client.IntrospectionClient;
import io.github.tokenintrospection.client.RestClientIntrospectionClient;
import io.github.tokenintrospection.internal.cache.TokenCaches;
import io.github.tokenintrospection.internal.routing.RoutingOpaqueTokenIntrospector;
import io.github.tokenintrospection.internal.servlet.CurrentRoutedRequest;
import io.github.tokenintrospection.observation.IntrospectionListener;
import io.github.tokenintrospection.pipeline.IntrospectionPipeline;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;

/**
 * The servlet introspector: the {@link IntrospectionPipeline} over a blocking HTTP
 * client; with named authorization servers, one pipeline per server behind a routing
 * introspector.
 */
@Configuration(proxyBeanMethods = false)
class IntrospectorConfiguration {

	@Bean
	@ConditionalOnMissingBean(IntrospectionClient.class)
	RestClientIntrospectionClient tokenIntrospectionClient(AuthorizationServerConnection connection,
			ClientAuthenticationFactory clientAuthentication, TokenIntrospectionProperties properties,
			OAuth2ResourceServerProperties resourceServerProperties, ObjectProvider<SslBundles> sslBundles) {
		return client(connection, clientAuthentication, properties,
				resourceServerProperties.getOpaquetoken().getClientId(), sslBundles.getIfAvailable());
	}

	@Bean
	@ConditionalOnMissingBean(OpaqueTokenIntrospector.class)
	OpaqueTokenIntrospector opaqueTokenIntrospector(IntrospectionClient tokenIntrospectionClient,
			IntrospectionPipelineConfigurer configurer, ObjectProvider<CircuitBreakerDecorator> circuitBreaker,
			NamedAuthorizationServers namedServers, TokenIntrospectionProperties properties,
			AuthorizationServerConnection connection, ObjectProvider<TokenCaches> caches,
			ObjectProvider<IntrospectionListener> listeners, ObjectProvider<SslBundles> sslBundles) {
		IntrospectionPipeline.Builder builder = IntrospectionPipeline.withClient(tokenIntrospectionClient);
		circuitBreaker.ifAvailable((breaker) -> breaker.addTo(builder));
		OpaqueTokenIntrospector defaultServer = configurer.configure(builder).buildServlet();
		if (namedServers.isEmpty()) {
			return defaultServer;
		}
		return new RoutingOpaqueTokenIntrospector(
				namedServers.table(
						NamedAuthorizationServers.defaultRoute(properties, connection, caches.getIfAvailable(),
								defaultServer),
						(server) -> pipeline(server, configurer, sslBundles.getIfAvailable()),
						listeners.orderedStream().toList()),
				new CurrentRoutedRequest());
	}

	private static OpaqueTokenIntrospector pipeline(NamedAuthorizationServers.Server server,
			IntrospectionPipelineConfigurer configurer, @Nullable SslBundles sslBundles) {
		return NamedServerProperties.renamingFailures(server.name(), () -> {
			IntrospectionPipeline.Builder builder = IntrospectionPipeline.withClient(client(server.connection(),
					server.clientAuthentication(), server.properties(), server.properties().getClientId(), sslBundles));
			server.addCircuitBreakerTo(builder);
			return configurer.forServer(server).configure(builder).buildServlet();
		});
	}

	private static RestClientIntrospectionClient client(AuthorizationServerConnection connection,
			ClientAuthenticationFactory clientAuthentication, TokenIntrospectionProperties properties,
			@Nullable String clientId, @Nullable SslBundles sslBundles) {
		RestClientIntrospectionClient client = new RestClientIntrospectionClient(connection.restClient(),
				connection.introspectionEndpoint(), clientAuthentication.create(), properties.getTokenTypeHint());
		client.setMaxResponseSize(properties.getLimits().getMaxResponseSize());
		client.setResponseFormat(
				SignedAnswersFactory.create(properties, connection, clientId, sslBundles, Clock.systemUTC()));
		return client;
	}

}
