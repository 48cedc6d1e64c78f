package io.github.tokenintrospection.autoconfigure;

import java.time.Clock;

import io.github.tokenintrospection.internal.cache.TokenCache;
import io.github.tokenintrospection.internal.cache.TokenCaches;
import io.github.tokenintrospection.internal.reactive.ReactiveRoutingOpaqueTokenIntrospector;
import io.github.tokenintrospection.observation.IntrospectionListener;
import io.github.tokenintrospection.pipeline.IntrospectionPipeline;
import io.github.tokenintrospection.reactive.AuthorizationServerUnavailableWebFilter;
import io.github.tokenintrospection.reactive.ReactiveIntrospectionClient;
import io.github.tokenintrospection.reactive.WebClientIntrospectionClient;
import org.jspecify.annotations.Nullable;
import reactor.core.scheduler.Schedulers;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.server.resource.introspection.ReactiveOpaqueTokenIntrospector;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The reactive introspector: the {@link IntrospectionPipeline} over a non-blocking HTTP
 * client ({@code WebClient}), and the WebFlux filter that answers 503.
 */
@Configuration(proxyBeanMethods = false)
class ReactiveIntrospectorConfiguration {

	@Bean
	@ConditionalOnMissingBean(ReactiveIntrospectionClient.class)
	WebClientIntrospectionClient tokenIntrospectionClient(AuthorizationServerConnection connection,
			ClientAuthenticationFactory clientAuthentication, TokenIntrospectionProperties properties,
			OAuth2ResourceServerProperties resourceServerProperties, ObjectProvider<WebClient.Builder> webClientBuilder,
			ObjectProvider<SslBundles> sslBundles) {
		return client(connection, clientAuthentication, properties,
				resourceServerProperties.getOpaquetoken().getClientId(),
				webClientBuilder.getIfAvailable(WebClient::builder), sslBundles.getIfAvailable());
	}

	@Bean
	@ConditionalOnMissingBean(ReactiveOpaqueTokenIntrospector.class)
	ReactiveOpaqueTokenIntrospector reactiveOpaqueTokenIntrospector(
			ReactiveIntrospectionClient tokenIntrospectionClient, IntrospectionPipelineConfigurer configurer,
			TokenIntrospectionProperties properties, ObjectProvider<TokenCaches> caches,
			ObjectProvider<ReactiveCircuitBreakerDecorator> circuitBreaker, NamedAuthorizationServers namedServers,
			AuthorizationServerConnection connection, ObjectProvider<IntrospectionListener> listeners,
			ObjectProvider<WebClient.Builder> webClientBuilder, ObjectProvider<SslBundles> sslBundles) {
		caches.ifAvailable((tokenCaches) -> asynchronous(tokenCaches.active(), properties));
		IntrospectionPipeline.Builder builder = IntrospectionPipeline.withReactiveClient(tokenIntrospectionClient);
		circuitBreaker.ifAvailable((breaker) -> breaker.addTo(builder));
		ReactiveOpaqueTokenIntrospector defaultServer = configurer.configure(builder).buildReactive();
		if (namedServers.isEmpty()) {
			return defaultServer;
		}
		return new ReactiveRoutingOpaqueTokenIntrospector(namedServers.table(
				NamedAuthorizationServers.defaultRoute(properties, connection, caches.getIfAvailable(), defaultServer),
				(server) -> pipeline(server, configurer, webClientBuilder.getIfAvailable(WebClient::builder),
						sslBundles.getIfAvailable()),
				listeners.orderedStream().toList()), ReactiveRoutingOpaqueTokenIntrospector::currentRequest);
	}

	private static ReactiveOpaqueTokenIntrospector pipeline(NamedAuthorizationServers.Server server,
			IntrospectionPipelineConfigurer configurer, WebClient.Builder webClientBuilder,
			@Nullable SslBundles sslBundles) {
		return NamedServerProperties.renamingFailures(server.name(), () -> {
			IntrospectionPipeline.Builder builder = IntrospectionPipeline
				.withReactiveClient(client(server.connection(), server.clientAuthentication(), server.properties(),
						server.properties().getClientId(), webClientBuilder, sslBundles));
			server.addCircuitBreakerTo(builder);
			return configurer.forServer(server).configure(builder).buildReactive();
		});
	}

	private static WebClientIntrospectionClient client(AuthorizationServerConnection connection,
			ClientAuthenticationFactory clientAuthentication, TokenIntrospectionProperties properties,
			@Nullable String clientId, WebClient.Builder webClientBuilder, @Nullable SslBundles sslBundles) {
		// A copy, so that the application's builder keeps its own connector and codecs;
		// request details (the Authorization header, form values) are never logged,
		// whatever the application asked its WebClients for.
		WebClient webClient = webClientBuilder.clone()
			.clientConnector(connection.reactiveConnector())
			.codecs((codecs) -> codecs.defaultCodecs().enableLoggingRequestDetails(false))
			.build();
		WebClientIntrospectionClient client = new WebClientIntrospectionClient(webClient,
				connection.introspectionEndpoint(), clientAuthentication.create(), properties.getTokenTypeHint());
		client.setMaxResponseSize(properties.getLimits().getMaxResponseSize());
		client.setResponseFormat(
				SignedAnswersFactory.create(properties, connection, clientId, sslBundles, Clock.systemUTC()));
		client.setPreparationScheduler(clientAuthentication.preparationMayBlock() ? Schedulers.boundedElastic() : null);
		return client;
	}

	/**
	 * The reactive lookup waits for loads without blocking: the starter's cache supports
	 * it; an application's cache must support {@code Cache.retrieve}.
	 */
	private static void asynchronous(TokenCache cache, TokenIntrospectionProperties properties) {
		try {
			cache.checkRetrievesAsynchronously();
		}
		catch (UnsupportedOperationException | IllegalStateException ex) {
			throw new InvalidConfigurationPropertyValueException(TokenIntrospectionProperties.PREFIX + ".cache.name",
					properties.getCache().getName(),
					"names a cache that cannot be read asynchronously (" + ex.getMessage()
							+ "), which a reactive application needs; with Caffeine, "
							+ "enable CaffeineCacheManager's async cache mode");
		}
	}

	@Bean
	@ConditionalOnMissingBean(name = "authorizationServerUnavailableWebFilter")
	AuthorizationServerUnavailableWebFilter authorizationServerUnavailableWebFilter(
			ObjectProvider<TokenIntrospectionProperties> properties) {
		return new AuthorizationServerUnavailableWebFilter(
				() -> properties.getObject().getResilience().getRetryAfter());
	}

}
