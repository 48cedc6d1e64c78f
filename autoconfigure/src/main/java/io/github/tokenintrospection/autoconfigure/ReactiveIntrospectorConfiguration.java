package io.github.tokenintrospection.autoconfigure;

import java.time.Clock;
import java.util.List;

import io.github.tokenintrospection.cache.TokenCaches;
import io.github.tokenintrospection.client.IntrospectionExchange;
import io.github.tokenintrospection.pipeline.IntrospectionPipeline;
import io.github.tokenintrospection.reactive.AuthorizationServerUnavailableWebFilter;
import io.github.tokenintrospection.reactive.ReactiveIntrospectionClient;
import io.github.tokenintrospection.reactive.ReactiveValidatingOpaqueTokenIntrospector;
import io.github.tokenintrospection.reactive.WebClientIntrospectionClient;
import reactor.core.scheduler.Schedulers;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.cache.Cache;
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
			ObjectProvider<WebClient.Builder> webClientBuilder) {
		IntrospectionExchange exchange = new IntrospectionExchange(connection.introspectionEndpoint(),
				clientAuthentication.create(), properties.getTokenTypeHint());
		exchange.setMaxResponseSize(properties.getLimits().getMaxResponseSize());
		// A copy, so that the application's builder keeps its own connector and codecs; request
		// details (the Authorization header, form values) are never logged, whatever the
		// application asked its WebClients for.
		WebClient webClient = webClientBuilder.getIfAvailable(WebClient::builder)
			.clone()
			.clientConnector(connection.reactiveConnector())
			.codecs((codecs) -> codecs.defaultCodecs().enableLoggingRequestDetails(false))
			.build();
		return new WebClientIntrospectionClient(webClient, exchange,
				clientAuthentication.preparationMayBlock() ? Schedulers.boundedElastic() : null);
	}

	@Bean
	@ConditionalOnMissingBean(ReactiveOpaqueTokenIntrospector.class)
	ReactiveValidatingOpaqueTokenIntrospector reactiveOpaqueTokenIntrospector(
			ReactiveIntrospectionClient tokenIntrospectionClient, IntrospectionPipelineConfigurer configurer,
			TokenIntrospectionProperties properties, ObjectProvider<TokenCaches> caches,
			ObjectProvider<ReactiveCircuitBreakerDecorator> circuitBreaker) {
		caches.ifAvailable((tokenCaches) -> asynchronous(tokenCaches.active(), properties));
		IntrospectionPipeline.Builder builder = IntrospectionPipeline.withReactiveClient(tokenIntrospectionClient);
		circuitBreaker.ifAvailable((breaker) -> breaker.addTo(builder));
		return configurer.configure(builder).buildReactive();
	}

	/**
	 * The reactive lookup waits for loads through {@link Cache#retrieve}: the starter's cache
	 * supports it; an application's cache must be asynchronous.
	 */
	private static void asynchronous(Cache cache, TokenIntrospectionProperties properties) {
		try {
			cache.retrieve("token-introspection-start-up-check");
		}
		catch (UnsupportedOperationException | IllegalStateException ex) {
			throw new InvalidConfigurationPropertyValueException(TokenIntrospectionProperties.PREFIX + ".cache.name",
					properties.getCache().getName(), "names a cache that cannot be read asynchronously ("
							+ ex.getMessage() + "), which a reactive application needs; with Caffeine, "
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
