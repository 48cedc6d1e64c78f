package io.github.tokenintrospection.autoconfigure;

import java.time.Clock;
import java.util.List;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.tokenintrospection.IntrospectionDecider;
import io.github.tokenintrospection.authority.IntrospectionAuthoritiesConverter;
import io.github.tokenintrospection.cache.AsyncCachingLookup;
import io.github.tokenintrospection.cache.LastValidatedTokens;
import io.github.tokenintrospection.cache.StaleFallback;
import io.github.tokenintrospection.cache.StaleResultListener;
import io.github.tokenintrospection.cache.TokenCache;
import io.github.tokenintrospection.cache.TokenCaches;
import io.github.tokenintrospection.client.ClientAuthenticationMethod;
import io.github.tokenintrospection.client.IntrospectionExchange;
import io.github.tokenintrospection.client.authentication.ClientAuthentication;
import io.github.tokenintrospection.observation.IntrospectionListener;
import io.github.tokenintrospection.observation.IntrospectionListeners;
import io.github.tokenintrospection.reactive.AuthorizationServerUnavailableWebFilter;
import io.github.tokenintrospection.reactive.CircuitBreakerReactiveIntrospectionClient;
import io.github.tokenintrospection.reactive.ObservedReactiveIntrospectionClient;
import io.github.tokenintrospection.reactive.ReactiveIntrospectionClient;
import io.github.tokenintrospection.reactive.ReactiveTokenLookup;
import io.github.tokenintrospection.reactive.ReactiveValidatingOpaqueTokenIntrospector;
import io.github.tokenintrospection.reactive.RetryingReactiveIntrospectionClient;
import io.github.tokenintrospection.reactive.StaleIfErrorReactiveLookup;
import io.github.tokenintrospection.reactive.WebClientIntrospectionClient;
import io.github.tokenintrospection.resilience.CircuitBreakerGuard;
import io.github.tokenintrospection.validation.IntrospectionClaimsValidator;
import reactor.core.scheduler.Schedulers;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.reactive.JdkClientHttpConnector;
import org.springframework.security.oauth2.server.resource.introspection.ReactiveOpaqueTokenIntrospector;
import org.springframework.util.StringUtils;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The reactive introspection pipeline, assembled from the same parts and settings as
 * {@link IntrospectorConfiguration}'s:
 * <pre>
 * syntax guard -> stale-if-error -> [cache] -> record last validated -> retry -> circuit breaker -> observed -> WebClient
 * </pre>
 */
@Configuration(proxyBeanMethods = false)
class ReactiveIntrospectorConfiguration {

	@Bean
	@ConditionalOnMissingBean(ReactiveIntrospectionClient.class)
	WebClientIntrospectionClient tokenIntrospectionClient(AuthorizationServerConnection connection,
			OAuth2ResourceServerProperties resourceServerProperties, TokenIntrospectionProperties properties,
			ObjectProvider<SslBundles> sslBundles, ObjectProvider<WebClient.Builder> webClientBuilder) {
		ClientAuthentication clientAuthentication = new ClientAuthenticationFactory(properties,
				resourceServerProperties.getOpaquetoken(), sslBundles.getIfAvailable(), connection.issuerUri(),
				connection.metadata(), connection.httpsRequirement(), Clock.systemUTC())
			.create(connection.restClient());
		IntrospectionExchange exchange = new IntrospectionExchange(connection.introspectionEndpoint(),
				clientAuthentication, properties.getTokenTypeHint());
		exchange.setMaxResponseSize(properties.getLimits().getMaxResponseSize());
		JdkClientHttpConnector connector = new JdkClientHttpConnector(connection.httpClient());
		connector.setReadTimeout(connection.readTimeout());
		// A copy, so that the application's builder keeps its own connector and codecs; request
		// details (the Authorization header, form values) are never logged, whatever the
		// application asked its WebClients for.
		WebClient webClient = webClientBuilder.getIfAvailable(WebClient::builder)
			.clone()
			.clientConnector(connector)
			.codecs((codecs) -> codecs.defaultCodecs().enableLoggingRequestDetails(false))
			.build();
		return new WebClientIntrospectionClient(webClient, exchange,
				preparationMayBlock(connection, properties) ? Schedulers.boundedElastic() : null);
	}

	/**
	 * Discovery and a client_credentials token are HTTP calls of the blocking RestClient;
	 * signing an assertion draws a random jti from SecureRandom, which may read a file.
	 */
	private static boolean preparationMayBlock(AuthorizationServerConnection connection,
			TokenIntrospectionProperties properties) {
		ClientAuthenticationMethod method = properties.getClientAuthenticationMethod();
		return connection.discoversEndpoint() || method == ClientAuthenticationMethod.CLIENT_SECRET_JWT
				|| method == ClientAuthenticationMethod.PRIVATE_KEY_JWT
				|| (method == ClientAuthenticationMethod.BEARER && !StringUtils.hasText(properties.getBearer().getToken()));
	}

	@Bean
	@ConditionalOnMissingBean(ReactiveOpaqueTokenIntrospector.class)
	ReactiveValidatingOpaqueTokenIntrospector reactiveOpaqueTokenIntrospector(
			ReactiveIntrospectionClient tokenIntrospectionClient, TokenIntrospectionProperties properties,
			IntrospectionAuthoritiesConverter authoritiesConverter,
			ObjectProvider<IntrospectionClaimsValidator> userValidators, ObjectProvider<TokenCaches> caches,
			ObjectProvider<IntrospectionListener> listeners,
			ObjectProvider<ReactiveCircuitBreakerDecorator> circuitBreaker,
			ObjectProvider<StaleResultListener> staleResultListeners) {
		Clock clock = Clock.systemUTC();
		IntrospectionListener listener = new IntrospectionListeners(listeners.orderedStream().toList());
		TokenIntrospectionProperties.Resilience resilience = properties.getResilience();
		// Listeners see each HTTP call, retries included; not the breaker's fast failures.
		ReactiveIntrospectionClient server = new ObservedReactiveIntrospectionClient(tokenIntrospectionClient, listener);
		ReactiveCircuitBreakerDecorator breaker = circuitBreaker.getIfAvailable();
		if (breaker != null) {
			server = breaker.decorate(server);
		}
		TokenIntrospectionProperties.Resilience.Retry retry = resilience.getRetry();
		if (retry.isEnabled()) {
			server = new RetryingReactiveIntrospectionClient(server, IntrospectionClientDecorators.retrySettings(retry));
		}
		TokenIntrospectionProperties.Resilience.StaleIfError staleIfError = resilience.getStaleIfError();
		LastValidatedTokens lastValidated = staleIfError.isEnabled()
				? new LastValidatedTokens(staleIfError.getWindow(), staleIfError.getMaxSize(), clock) : null;
		if (lastValidated != null) {
			ReactiveIntrospectionClient unrecorded = server;
			server = (token) -> unrecorded.introspect(token).doOnNext((result) -> lastValidated.record(token, result));
		}
		ReactiveIntrospectionClient calls = server;
		TokenCaches tokenCaches = caches.getIfAvailable();
		ReactiveTokenLookup lookup = (tokenCaches != null)
				? ReactiveTokenLookup.caching(new AsyncCachingLookup((token) -> calls.introspect(token).toFuture(),
						asynchronous(tokenCaches.active(), properties), tokenCaches.inactive(), clock))
				: ReactiveTokenLookup.uncached(calls);
		if (lastValidated != null) {
			List<StaleResultListener> staleListeners = staleResultListeners.orderedStream().toList();
			lookup = new StaleIfErrorReactiveLookup(lookup, new StaleFallback(lastValidated, (token, age,
					failure) -> staleListeners.forEach((staleListener) -> staleListener.staleResultUsed(token, age, failure)),
					clock));
		}
		IntrospectionDecider decider = IntrospectionCommonConfiguration.decider(properties, clock,
				authoritiesConverter, userValidators, listener);
		return new ReactiveValidatingOpaqueTokenIntrospector(lookup, decider,
				properties.getLimits().getMaxTokenLength());
	}

	/**
	 * The reactive lookup waits for loads without blocking: the starter's cache supports it;
	 * an application's cache must support {@code Cache.retrieve}.
	 */
	private static TokenCache asynchronous(TokenCache cache, TokenIntrospectionProperties properties) {
		try {
			cache.checkRetrievesAsynchronously();
		}
		catch (UnsupportedOperationException | IllegalStateException ex) {
			throw new InvalidConfigurationPropertyValueException(TokenIntrospectionProperties.PREFIX + ".cache.name",
					properties.getCache().getName(), "names a cache that cannot be read asynchronously ("
							+ ex.getMessage() + "), which a reactive application needs; with Caffeine, "
							+ "enable CaffeineCacheManager's async cache mode");
		}
		return cache;
	}

	@Bean
	@ConditionalOnMissingBean(name = "authorizationServerUnavailableWebFilter")
	AuthorizationServerUnavailableWebFilter authorizationServerUnavailableWebFilter(
			ObjectProvider<TokenIntrospectionProperties> properties) {
		return new AuthorizationServerUnavailableWebFilter(
				() -> properties.getObject().getResilience().getRetryAfter());
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = ResilienceConfiguration.RESILIENCE4J_CIRCUIT_BREAKER)
	@ConditionalOnBooleanProperty(name = ResilienceConfiguration.CIRCUIT_BREAKER_ENABLED, matchIfMissing = true)
	static class ReactiveCircuitBreakerConfiguration {

		@Bean
		ReactiveCircuitBreakerDecorator tokenIntrospectionReactiveCircuitBreakerDecorator(
				@Qualifier(ResilienceConfiguration.CircuitBreakerConfiguration.BEAN_NAME) CircuitBreaker circuitBreaker) {
			CircuitBreakerGuard guard = new CircuitBreakerGuard(circuitBreaker);
			return (client) -> new CircuitBreakerReactiveIntrospectionClient(client, guard);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingClass(ResilienceConfiguration.RESILIENCE4J_CIRCUIT_BREAKER)
	@ConditionalOnBooleanProperty(name = ResilienceConfiguration.CIRCUIT_BREAKER_ENABLED, matchIfMissing = true)
	static class MissingReactiveCircuitBreakerConfiguration {

		@Bean
		ReactiveCircuitBreakerDecorator tokenIntrospectionReactiveCircuitBreakerDecorator() {
			throw ResilienceConfiguration.MissingCircuitBreakerConfiguration.missingResilience4j();
		}

	}

}
