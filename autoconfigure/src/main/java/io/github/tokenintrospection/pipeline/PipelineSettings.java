package io.github.tokenintrospection.pipeline;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.function.UnaryOperator;

import io.github.tokenintrospection.IntrospectedToken;
import io.github.tokenintrospection.cache.StaleResultListener;
import io.github.tokenintrospection.client.IntrospectionClient;
import io.github.tokenintrospection.client.authentication.ClientAuthentication;
import io.github.tokenintrospection.client.authentication.ClientAuthentications;
import io.github.tokenintrospection.internal.cache.IntrospectionCaches;
import io.github.tokenintrospection.internal.cache.RefreshAhead;
import io.github.tokenintrospection.internal.cache.TokenCaches;
import io.github.tokenintrospection.internal.jwt.LocalJwtRouter;
import io.github.tokenintrospection.internal.possession.PossessionCheck;
import io.github.tokenintrospection.internal.resilience.CircuitBreakerGuard;
import io.github.tokenintrospection.internal.resilience.RetryingIntrospectionClient;
import io.github.tokenintrospection.observation.IntrospectionListener;
import io.github.tokenintrospection.reactive.ReactiveIntrospectionClient;
import io.github.tokenintrospection.validation.IntrospectionClaimsValidator;
import org.jspecify.annotations.Nullable;

import org.springframework.core.convert.converter.Converter;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.util.unit.DataSize;

/**
 * What an {@link IntrospectionPipeline.Builder} was told, frozen: the one value both
 * stacks are built from. Optional stages are {@code null} when left out.
 */
final class PipelineSettings {

	private final @Nullable IntrospectionClient client;

	private final @Nullable ReactiveIntrospectionClient reactiveClient;

	private final @Nullable HttpTransport http;

	private final List<UnaryOperator<IntrospectionClient>> clientDecorators;

	private final List<UnaryOperator<ReactiveIntrospectionClient>> reactiveClientDecorators;

	private final int maxTokenLength;

	private final @Nullable LocalJwtRouter localJwt;

	private final @Nullable TokenCaches caches;

	private final RetryingIntrospectionClient.@Nullable Settings retry;

	private final @Nullable RefreshAhead refreshAhead;

	private final @Nullable Duration staleIfErrorWindow;

	private final long staleIfErrorMaxSize;

	private final List<StaleResultListener> staleResultListeners;

	private final @Nullable CircuitBreakerGuard circuitBreaker;

	private final List<IntrospectionListener> listeners;

	private final List<IntrospectionClaimsValidator> validators;

	private final Converter<IntrospectedToken, Collection<GrantedAuthority>> authoritiesConverter;

	private final String principalClaimName;

	private final Clock clock;

	private final String server;

	private final @Nullable PossessionCheck possessionCheck;

	PipelineSettings(IntrospectionPipeline.Builder builder) {
		this.server = builder.server;
		this.possessionCheck = builder.possessionCheck;
		this.client = builder.client;
		this.reactiveClient = builder.reactiveClient;
		this.http = (builder.introspectionUri != null) ? new HttpTransport(builder) : null;
		this.clientDecorators = List.copyOf(builder.clientDecorators);
		this.reactiveClientDecorators = List.copyOf(builder.reactiveClientDecorators);
		this.maxTokenLength = builder.maxTokenLength;
		this.localJwt = builder.localJwt;
		this.clock = builder.clock;
		// Created here, so that both stacks built from these settings share them.
		this.caches = !builder.cacheEnabled ? null
				: (builder.caches != null) ? builder.caches
						: new TokenCaches(IntrospectionCaches.activeTokens(Duration.ofSeconds(60), 10_000, this.clock),
								IntrospectionCaches.inactiveTokens(Duration.ofSeconds(10), 10_000));
		CircuitBreakerGuard breaker = builder.circuitBreaker;
		this.refreshAhead = (builder.refreshAhead != null && this.caches != null)
				? builder.refreshAhead.create(() -> breaker == null || !breaker.isOpen(), this.clock) : null;
		this.retry = (builder.retry != null) ? builder.retry.toSettings() : null;
		this.staleIfErrorWindow = (builder.staleIfError != null) ? builder.staleIfError.window() : null;
		this.staleIfErrorMaxSize = (builder.staleIfError != null) ? builder.staleIfError.maxSize() : 0;
		this.staleResultListeners = List.copyOf(builder.staleResultListeners);
		this.circuitBreaker = builder.circuitBreaker;
		this.listeners = List.copyOf(builder.listeners);
		this.validators = List.copyOf(builder.validators);
		this.authoritiesConverter = builder.authoritiesConverter;
		this.principalClaimName = builder.principalClaimName;
	}

	/** The servlet transport given to the builder, or {@code null} to call over HTTP. */
	@Nullable IntrospectionClient client() {
		return this.client;
	}

	/** The reactive transport given to the builder, or {@code null} to call over HTTP. */
	@Nullable ReactiveIntrospectionClient reactiveClient() {
		return this.reactiveClient;
	}

	/**
	 * How to call the endpoint over HTTP.
	 * @param stack the stack that asks, for the message
	 * @throws IllegalStateException when the builder was given neither the stack's client
	 * nor an introspection URI
	 */
	HttpTransport http(String stack) {
		if (this.http == null) {
			throw new IllegalStateException("This pipeline has no " + stack
					+ " client: start it with IntrospectionPipeline.withIntrospectionUri(..) or with the " + stack
					+ " client");
		}
		return this.http;
	}

	List<UnaryOperator<IntrospectionClient>> clientDecorators() {
		return this.clientDecorators;
	}

	List<UnaryOperator<ReactiveIntrospectionClient>> reactiveClientDecorators() {
		return this.reactiveClientDecorators;
	}

	int maxTokenLength() {
		return this.maxTokenLength;
	}

	/**
	 * The router of local JWT verification, or {@code null} when every token is
	 * introspected.
	 */
	@Nullable LocalJwtRouter localJwt() {
		return this.localJwt;
	}

	@Nullable TokenCaches caches() {
		return this.caches;
	}

	RetryingIntrospectionClient.@Nullable Settings retry() {
		return this.retry;
	}

	@Nullable RefreshAhead refreshAhead() {
		return this.refreshAhead;
	}

	boolean staleIfError() {
		return this.staleIfErrorWindow != null;
	}

	@Nullable Duration staleIfErrorWindow() {
		return this.staleIfErrorWindow;
	}

	long staleIfErrorMaxSize() {
		return this.staleIfErrorMaxSize;
	}

	List<StaleResultListener> staleResultListeners() {
		return this.staleResultListeners;
	}

	@Nullable CircuitBreakerGuard circuitBreaker() {
		return this.circuitBreaker;
	}

	List<IntrospectionListener> listeners() {
		return this.listeners;
	}

	List<IntrospectionClaimsValidator> validators() {
		return this.validators;
	}

	Converter<IntrospectedToken, Collection<GrantedAuthority>> authoritiesConverter() {
		return this.authoritiesConverter;
	}

	String principalClaimName() {
		return this.principalClaimName;
	}

	Clock clock() {
		return this.clock;
	}

	/**
	 * The endpoint and how to call it, for a pipeline started with an introspection URI.
	 *
	 * @param introspectionUri the endpoint
	 * @param clientAuthentication how to authenticate to it
	 * @param preparationMayBlock whether authenticating a request may block (a client
	 * authentication of the application's own is assumed to)
	 * @param httpClient the JDK client the servlet stack sends with
	 * @param httpClientGiven whether the application gave that client to the builder,
	 * which the reactive stack then sends with too
	 * @param readTimeout how long to wait for an answer
	 * @param tokenTypeHint the {@code token_type_hint}, empty for none
	 * @param maxResponseSize the largest answer read
	 */
	record HttpTransport(URI introspectionUri, ClientAuthentication clientAuthentication, boolean preparationMayBlock,
			HttpClient httpClient, boolean httpClientGiven, Duration readTimeout, String tokenTypeHint,
			DataSize maxResponseSize) {

		/** The connect timeout of the default clients. */
		static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);

		HttpTransport(IntrospectionPipeline.Builder builder) {
			this(builder.introspectionUri, clientAuthentication(builder), builder.clientAuthentication != null,
					(builder.httpClient != null) ? builder.httpClient : defaultHttpClient(), builder.httpClient != null,
					builder.readTimeout, builder.tokenTypeHint, builder.maxResponseSize);
		}

		private static ClientAuthentication clientAuthentication(IntrospectionPipeline.Builder builder) {
			if (builder.clientAuthentication != null) {
				return builder.clientAuthentication;
			}
			if (builder.clientId == null || builder.clientSecret == null) {
				throw new IllegalStateException(
						"Set clientId and clientSecret, or clientAuthentication, to call " + builder.introspectionUri);
			}
			return ClientAuthentications.clientSecretBasic(builder.clientId, builder.clientSecret);
		}

		private static HttpClient defaultHttpClient() {
			return HttpClient.newBuilder()
				.version(HttpClient.Version.HTTP_1_1)
				.connectTimeout(DEFAULT_CONNECT_TIMEOUT)
				// A redirect could carry the token to another host.
				.followRedirects(HttpClient.Redirect.NEVER)
				.build();
		}

	}

	String server() {
		return this.server;
	}

	@Nullable PossessionCheck possessionCheck() {
		return this.possessionCheck;
	}

}
