package io.github.tokenintrospection.pipeline;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.tokenintrospection.IntrospectedToken;
import io.github.tokenintrospection.authority.IntrospectionAuthoritiesConverter;
import io.github.tokenintrospection.cache.StaleResultListener;
import io.github.tokenintrospection.client.IntrospectionClient;
import io.github.tokenintrospection.client.authentication.ClientAuthentication;
import io.github.tokenintrospection.client.authentication.ClientAuthentications;
import io.github.tokenintrospection.internal.cache.RefreshAhead;
import io.github.tokenintrospection.internal.cache.TokenCaches;
import io.github.tokenintrospection.internal.client.HttpsRequirement;
import io.github.tokenintrospection.internal.introspector.ValidatingOpaqueTokenIntrospector;
import io.github.tokenintrospection.internal.jwt.LocalJwtRouter;
import io.github.tokenintrospection.internal.possession.PossessionCheck;
import io.github.tokenintrospection.internal.reactive.ReactiveValidatingOpaqueTokenIntrospector;
import io.github.tokenintrospection.internal.resilience.CircuitBreakerGuard;
import io.github.tokenintrospection.internal.resilience.RetryingIntrospectionClient;
import io.github.tokenintrospection.observation.IntrospectionDecision;
import io.github.tokenintrospection.observation.IntrospectionListener;
import io.github.tokenintrospection.reactive.ReactiveIntrospectionClient;
import io.github.tokenintrospection.validation.AudienceValidator;
import io.github.tokenintrospection.validation.IntrospectionClaimsValidator;
import org.jspecify.annotations.Nullable;

import org.springframework.core.convert.converter.Converter;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;
import org.springframework.security.oauth2.server.resource.introspection.ReactiveOpaqueTokenIntrospector;
import org.springframework.util.Assert;
import org.springframework.util.unit.DataSize;

/**
 * Builds the starter's introspector, servlet ({@link OpaqueTokenIntrospector}) or
 * reactive ({@link ReactiveOpaqueTokenIntrospector}), from one set of settings and with
 * the same stages in the same order: <pre>
 * syntax guard -> (local JWT) -> stale-if-error -> cache -> record last validated -> retry -> circuit breaker -> observed -> transport
 *   then: claim validators -> authorities
 * </pre> The auto-configuration builds its introspector here; so can an application that
 * wires it by hand, outside Spring Boot or next to it: <pre class="code">
 * OpaqueTokenIntrospector introspector = IntrospectionPipeline
 *     .withIntrospectionUri("https://login.example.com/introspect")
 *     .clientId("notes-api")
 *     .clientSecret(secret)
 *     .validators((validators) -&gt; validators.add(new AudienceValidator(List.of("notes-api"))))
 *     .buildServlet();
 * </pre> Unless told otherwise, the pipeline has the starter's defaults: its own caches
 * (60 s, 10,000 tokens; inactive tokens 10 s), two retries within 2 s, no circuit breaker
 * (it needs a Resilience4j {@code CircuitBreaker}), no stale-if-error, tokens up to 4096
 * characters, the default validators ({@link IntrospectionValidators#createDefault()})
 * and scopes as {@code SCOPE_} authorities.
 */
public final class IntrospectionPipeline {

	private IntrospectionPipeline() {
	}

	/**
	 * Starts a pipeline that calls the given endpoint over HTTP/1.1, without following
	 * redirects: the servlet pipeline with the JDK's {@link HttpClient}, the reactive one
	 * with Reactor Netty's client where it is on the class path (answers arrive on its
	 * event loops, no thread per call), otherwise with the JDK's client too. Plain
	 * {@code http} is accepted for a loopback host only (RFC 7662 requires TLS). Set the
	 * client's credentials with {@link Builder#clientId(String)} and
	 * {@link Builder#clientSecret(String)}, or
	 * {@link Builder#clientAuthentication(ClientAuthentication)}.
	 * @param introspectionUri the introspection endpoint
	 * @return the builder
	 */
	public static Builder withIntrospectionUri(String introspectionUri) {
		Assert.hasText(introspectionUri, "introspectionUri must not be empty");
		URI uri = URI.create(introspectionUri);
		new HttpsRequirement(false).check(uri);
		Builder builder = new Builder();
		builder.introspectionUri = uri;
		return builder;
	}

	/**
	 * Starts a servlet pipeline whose transport is the given client.
	 * @param client calls the authorization server
	 * @return the builder
	 */
	public static Builder withClient(IntrospectionClient client) {
		Assert.notNull(client, "client must not be null");
		Builder builder = new Builder();
		builder.client = client;
		return builder;
	}

	/**
	 * Starts a reactive pipeline whose transport is the given client.
	 * @param client calls the authorization server without blocking
	 * @return the builder
	 */
	public static Builder withReactiveClient(ReactiveIntrospectionClient client) {
		Assert.notNull(client, "client must not be null");
		Builder builder = new Builder();
		builder.reactiveClient = client;
		return builder;
	}

	/**
	 * The settings of a pipeline, with the starter's defaults. Not thread-safe; build
	 * once, then use the introspector from any thread.
	 */
	public static final class Builder {

		@Nullable URI introspectionUri;

		@Nullable IntrospectionClient client;

		@Nullable ReactiveIntrospectionClient reactiveClient;

		@Nullable String clientId;

		@Nullable String clientSecret;

		@Nullable ClientAuthentication clientAuthentication;

		@Nullable HttpClient httpClient;

		Duration readTimeout = Duration.ofSeconds(5);

		String tokenTypeHint = "access_token";

		DataSize maxResponseSize = DataSize.ofKilobytes(64);

		final List<UnaryOperator<IntrospectionClient>> clientDecorators = new ArrayList<>();

		final List<UnaryOperator<ReactiveIntrospectionClient>> reactiveClientDecorators = new ArrayList<>();

		int maxTokenLength = 4096;

		@Nullable LocalJwtRouter localJwt;

		@Nullable PossessionCheck possessionCheck;

		boolean cacheEnabled = true;

		@Nullable TokenCaches caches;

		@Nullable Retry retry = new Retry();

		@Nullable StaleIfError staleIfError;

		@Nullable RefreshAheadSettings refreshAhead;

		final List<StaleResultListener> staleResultListeners = new ArrayList<>();

		@Nullable CircuitBreakerGuard circuitBreaker;

		final List<IntrospectionListener> listeners = new ArrayList<>();

		final List<IntrospectionClaimsValidator> validators = new ArrayList<>(
				List.of(IntrospectionValidators.createDefault()));

		Converter<IntrospectedToken, Collection<GrantedAuthority>> authoritiesConverter = new IntrospectionAuthoritiesConverter(
				List.of("scope", "scp"), "SCOPE_", List.of(), "ROLE_");

		String principalClaimName = "sub";

		String server = IntrospectionDecision.DEFAULT_SERVER;

		Clock clock = Clock.systemUTC();

		private Builder() {
		}

		/**
		 * Names the authorization server this pipeline asks, for the {@code server} of
		 * every call and decision its listeners see (default
		 * {@value IntrospectionDecision#DEFAULT_SERVER}).
		 * @param server the server's name
		 * @return this builder
		 */
		public Builder server(String server) {
			Assert.hasText(server, "server must not be empty");
			this.server = server;
			return this;
		}

		/**
		 * Sets the client id, for {@code client_secret_basic} authentication.
		 * @param clientId the client id
		 * @return this builder
		 */
		public Builder clientId(String clientId) {
			Assert.hasText(clientId, "clientId must not be empty");
			this.clientId = clientId;
			return this;
		}

		/**
		 * Sets the client secret, for {@code client_secret_basic} authentication.
		 * @param clientSecret the client secret
		 * @return this builder
		 */
		public Builder clientSecret(String clientSecret) {
			Assert.hasText(clientSecret, "clientSecret must not be empty");
			this.clientSecret = clientSecret;
			return this;
		}

		/**
		 * Sets how the resource server authenticates to the endpoint, instead of a client
		 * id and secret (see {@link ClientAuthentications}). The reactive pipeline
		 * prepares its requests off the event loop then, as an authentication may block
		 * (sign with a random {@code jti}, fetch a token of its own).
		 * @param clientAuthentication the client authentication
		 * @return this builder
		 */
		public Builder clientAuthentication(ClientAuthentication clientAuthentication) {
			Assert.notNull(clientAuthentication, "clientAuthentication must not be null");
			this.clientAuthentication = clientAuthentication;
			return this;
		}

		/**
		 * Sets the JDK HTTP client that calls the endpoint, for example to set TLS or the
		 * connect timeout. By default: HTTP/1.1, 2 s connect timeout, no redirects (a
		 * redirect could carry the token elsewhere), and the reactive pipeline uses
		 * Reactor Netty's client with the same settings where it is on the class path. A
		 * client set here wins: both stacks send with it, the reactive one through
		 * Spring's JDK connector (which completes every call on
		 * {@code CompletableFuture}'s default executor, a new thread per call on machines
		 * with two or fewer CPUs).
		 * @param httpClient the HTTP client
		 * @return this builder
		 */
		public Builder httpClient(HttpClient httpClient) {
			Assert.notNull(httpClient, "httpClient must not be null");
			this.httpClient = httpClient;
			return this;
		}

		/**
		 * Sets how long to wait for the endpoint's answer (default 5 s).
		 * @param readTimeout the read timeout
		 * @return this builder
		 */
		public Builder readTimeout(Duration readTimeout) {
			Assert.isTrue(readTimeout != null && !readTimeout.isNegative() && !readTimeout.isZero(),
					"readTimeout must be positive");
			this.readTimeout = readTimeout;
			return this;
		}

		/**
		 * Sets the {@code token_type_hint} sent (default {@code access_token}); an empty
		 * string sends none.
		 * @param tokenTypeHint the hint
		 * @return this builder
		 */
		public Builder tokenTypeHint(String tokenTypeHint) {
			Assert.notNull(tokenTypeHint, "tokenTypeHint must not be null");
			this.tokenTypeHint = tokenTypeHint;
			return this;
		}

		/**
		 * Sets the largest answer read from the endpoint (default 64 KB).
		 * @param maxResponseSize the limit
		 * @return this builder
		 */
		public Builder maxResponseSize(DataSize maxResponseSize) {
			Assert.notNull(maxResponseSize, "maxResponseSize must not be null");
			this.maxResponseSize = maxResponseSize;
			return this;
		}

		/**
		 * Wraps the servlet client that calls the authorization server (beneath the
		 * listeners, so that they see each call through the wrapper). Wrappers apply in
		 * the order they were added, the last one outermost; a reactive pipeline ignores
		 * them.
		 * @param decorator returns the wrapped client
		 * @return this builder
		 */
		public Builder decorateClient(UnaryOperator<IntrospectionClient> decorator) {
			Assert.notNull(decorator, "decorator must not be null");
			this.clientDecorators.add(decorator);
			return this;
		}

		/**
		 * Wraps the reactive client that calls the authorization server, as
		 * {@link #decorateClient(UnaryOperator)} does for the servlet one; a servlet
		 * pipeline ignores it.
		 * @param decorator returns the wrapped client
		 * @return this builder
		 */
		public Builder decorateReactiveClient(UnaryOperator<ReactiveIntrospectionClient> decorator) {
			Assert.notNull(decorator, "decorator must not be null");
			this.reactiveClientDecorators.add(decorator);
			return this;
		}

		/**
		 * Sets the longest token accepted, in characters (default 4096); longer ones, and
		 * tokens outside RFC 6750's {@code b64token} syntax, are rejected before anything
		 * else.
		 * @param maxTokenLength the limit
		 * @return this builder
		 */
		public Builder maxTokenLength(int maxTokenLength) {
			Assert.isTrue(maxTokenLength > 0, "maxTokenLength must be positive");
			this.maxTokenLength = maxTokenLength;
			return this;
		}

		/**
		 * Verifies the issuer's JWT access tokens locally with its published keys, before
		 * anything is introspected; other tokens are introspected as before. The
		 * auto-configuration builds the router from {@code token-introspection.jwt.*};
		 * applications leave it alone.
		 * @param router decides which tokens are verified locally, and verifies them
		 * @return this builder
		 */
		public Builder localJwt(LocalJwtRouter router) {
			Assert.notNull(router, "router must not be null");
			this.localJwt = router;
			return this;
		}

		/**
		 * Holds tokens to their sender constraint: DPoP proofs checked before any lookup,
		 * the answer's {@code cnf} compared with what the caller presented after it. The
		 * auto-configuration builds the check from
		 * {@code token-introspection.sender-constraint.*}; applications leave it alone.
		 * @param check the sender-constraint rules
		 * @return this builder
		 */
		public Builder possessionCheck(PossessionCheck check) {
			Assert.notNull(check, "check must not be null");
			this.possessionCheck = check;
			return this;
		}

		/**
		 * Sets the caches of introspection results, instead of the starter's own.
		 * @param caches the caches
		 * @return this builder
		 */
		public Builder caches(TokenCaches caches) {
			Assert.notNull(caches, "caches must not be null");
			this.caches = caches;
			this.cacheEnabled = true;
			return this;
		}

		/**
		 * Leaves the cache out: every request asks the authorization server.
		 * @return this builder
		 */
		public Builder withoutCache() {
			this.caches = null;
			this.cacheEnabled = false;
			return this;
		}

		/**
		 * Adjusts the retries (on by default).
		 * @param retry adjusts the retry settings
		 * @return this builder
		 */
		public Builder retry(Consumer<Retry> retry) {
			Assert.notNull(retry, "retry must not be null");
			if (this.retry == null) {
				this.retry = new Retry();
			}
			retry.accept(this.retry);
			return this;
		}

		/**
		 * Leaves the retries out.
		 * @return this builder
		 */
		public Builder withoutRetry() {
			this.retry = null;
			return this;
		}

		/**
		 * Turns stale-if-error on (off by default): when the authorization server cannot
		 * answer, the last result it gave for a token is used, within the window and
		 * never past {@code exp}.
		 * @param staleIfError adjusts the stale-if-error settings
		 * @return this builder
		 */
		public Builder staleIfError(Consumer<StaleIfError> staleIfError) {
			Assert.notNull(staleIfError, "staleIfError must not be null");
			if (this.staleIfError == null) {
				this.staleIfError = new StaleIfError();
			}
			staleIfError.accept(this.staleIfError);
			return this;
		}

		/**
		 * Turns refresh-ahead on (off by default): an active answer used after a fraction
		 * of its lifetime is introspected again in the background, once, while requests
		 * go on being served from it; never past {@code exp}, not while the circuit
		 * breaker is open, within a budget of refreshes per second. Needs the cache.
		 * @param refreshAhead adjusts the refresh-ahead settings
		 * @return this builder
		 */
		public Builder refreshAhead(Consumer<RefreshAheadSettings> refreshAhead) {
			Assert.notNull(refreshAhead, "refreshAhead must not be null");
			if (this.refreshAhead == null) {
				this.refreshAhead = new RefreshAheadSettings();
			}
			refreshAhead.accept(this.refreshAhead);
			return this;
		}

		/**
		 * Adds a listener told of every stale result used.
		 * @param listener the listener
		 * @return this builder
		 */
		public Builder staleResultListener(StaleResultListener listener) {
			Assert.notNull(listener, "listener must not be null");
			this.staleResultListeners.add(listener);
			return this;
		}

		/**
		 * Puts a circuit breaker in front of the authorization server, for example one
		 * created with
		 * {@link io.github.tokenintrospection.internal.resilience.CircuitBreakerIntrospectionClient#circuitBreaker}.
		 * @param circuitBreaker the Resilience4j circuit breaker
		 * @return this builder
		 */
		public Builder circuitBreaker(CircuitBreaker circuitBreaker) {
			Assert.notNull(circuitBreaker, "circuitBreaker must not be null");
			this.circuitBreaker = new CircuitBreakerGuard(circuitBreaker);
			return this;
		}

		/**
		 * Leaves the circuit breaker out.
		 * @return this builder
		 */
		public Builder withoutCircuitBreaker() {
			this.circuitBreaker = null;
			return this;
		}

		/**
		 * Adds a listener told about every call to the authorization server and every
		 * decision (metrics, audit trail).
		 * @param listener the listener
		 * @return this builder
		 */
		public Builder listener(IntrospectionListener listener) {
			Assert.notNull(listener, "listener must not be null");
			this.listeners.add(listener);
			return this;
		}

		/**
		 * Adjusts the claim validators, which run on every request, cached or not; all
		 * their errors are reported together. The list starts with
		 * {@link IntrospectionValidators#createDefault()}.
		 * @param validators adjusts the list, for example adds a validator
		 * @return this builder
		 */
		public Builder validators(Consumer<List<IntrospectionClaimsValidator>> validators) {
			Assert.notNull(validators, "validators must not be null");
			validators.accept(this.validators);
			return this;
		}

		/**
		 * Sets how claims become authorities (by default scopes become {@code SCOPE_}
		 * authorities). The starter's {@link IntrospectionAuthoritiesConverter} is the
		 * fastest choice: its results are kept with a cached token.
		 * @param authoritiesConverter the converter
		 * @return this builder
		 */
		public Builder authoritiesConverter(
				Converter<IntrospectedToken, Collection<GrantedAuthority>> authoritiesConverter) {
			Assert.notNull(authoritiesConverter, "authoritiesConverter must not be null");
			this.authoritiesConverter = authoritiesConverter;
			return this;
		}

		/**
		 * Sets the claim that names the principal (default {@code sub}, which is also
		 * used when a token lacks the claim).
		 * @param principalClaimName the claim name
		 * @return this builder
		 */
		public Builder principalClaimName(String principalClaimName) {
			Assert.hasText(principalClaimName, "principalClaimName must not be empty");
			this.principalClaimName = principalClaimName;
			return this;
		}

		/**
		 * Sets the wall clock that cache expiry and stale-if-error compare {@code exp}
		 * with (the validators have their own).
		 * @param clock the clock
		 * @return this builder
		 */
		public Builder clock(Clock clock) {
			Assert.notNull(clock, "clock must not be null");
			this.clock = clock;
			return this;
		}

		/**
		 * Builds the servlet introspector.
		 * @return the introspector
		 * @throws IllegalStateException when the pipeline has neither a servlet client
		 * nor an introspection URI with credentials
		 */
		public OpaqueTokenIntrospector buildServlet() {
			return assembleServlet().introspector();
		}

		/**
		 * Builds the reactive introspector.
		 * @return the introspector
		 * @throws IllegalStateException when the pipeline has neither a reactive client
		 * nor an introspection URI with credentials
		 */
		public ReactiveOpaqueTokenIntrospector buildReactive() {
			return assembleReactive().introspector();
		}

		PipelineAssembler.Assembly<ValidatingOpaqueTokenIntrospector> assembleServlet() {
			return PipelineAssembler.assemble(settings(), new ServletStack());
		}

		PipelineAssembler.Assembly<ReactiveValidatingOpaqueTokenIntrospector> assembleReactive() {
			return PipelineAssembler.assemble(settings(), new ReactiveStack());
		}

		PipelineSettings settings() {
			return new PipelineSettings(this);
		}

	}

	/**
	 * Retry settings: which failures are retried is fixed (a refused or dropped
	 * connection, a 502, 503 or 504), how often and how long is set here. Defaults: 2
	 * retries, 100 ms backoff doubling up to 1 s, 50 ms jitter, within 2 s.
	 */
	public static final class Retry {

		private long maxRetries = 2;

		private Duration delay = Duration.ofMillis(100);

		private double multiplier = 2;

		private Duration maxDelay = Duration.ofSeconds(1);

		private Duration jitter = Duration.ofMillis(50);

		private Duration timeBudget = Duration.ofSeconds(2);

		Retry() {
		}

		/**
		 * Sets the most retries after the first attempt.
		 * @param maxRetries the number of retries
		 * @return these settings
		 */
		public Retry maxRetries(long maxRetries) {
			this.maxRetries = maxRetries;
			return this;
		}

		/**
		 * Sets the backoff before the first retry.
		 * @param delay the backoff
		 * @return these settings
		 */
		public Retry delay(Duration delay) {
			this.delay = delay;
			return this;
		}

		/**
		 * Sets the factor applied to the backoff after each retry.
		 * @param multiplier the factor, at least 1
		 * @return these settings
		 */
		public Retry multiplier(double multiplier) {
			this.multiplier = multiplier;
			return this;
		}

		/**
		 * Sets the longest backoff.
		 * @param maxDelay the longest backoff
		 * @return these settings
		 */
		public Retry maxDelay(Duration maxDelay) {
			this.maxDelay = maxDelay;
			return this;
		}

		/**
		 * Sets the random variation added to or subtracted from each backoff.
		 * @param jitter the variation
		 * @return these settings
		 */
		public Retry jitter(Duration jitter) {
			this.jitter = jitter;
			return this;
		}

		/**
		 * Sets the longest time spent on one introspection, retries included.
		 * @param timeBudget the budget
		 * @return these settings
		 */
		public Retry timeBudget(Duration timeBudget) {
			this.timeBudget = timeBudget;
			return this;
		}

		RetryingIntrospectionClient.Settings toSettings() {
			return new RetryingIntrospectionClient.Settings(this.maxRetries, this.delay, this.multiplier, this.maxDelay,
					this.jitter, this.timeBudget);
		}

	}

	/**
	 * Stale-if-error settings. Defaults: a 5 minute window from the server's last
	 * {@code active: true}, for at most 10,000 tokens.
	 */
	public static final class StaleIfError {

		private Duration window = Duration.ofMinutes(5);

		private long maxSize = 10_000;

		StaleIfError() {
		}

		/**
		 * Sets how long after a successful introspection a result may still be used.
		 * @param window the window
		 * @return these settings
		 */
		public StaleIfError window(Duration window) {
			this.window = window;
			return this;
		}

		/**
		 * Sets the most tokens remembered.
		 * @param maxSize the number of tokens
		 * @return these settings
		 */
		public StaleIfError maxSize(long maxSize) {
			this.maxSize = maxSize;
			return this;
		}

		Duration window() {
			return this.window;
		}

		long maxSize() {
			return this.maxSize;
		}

	}

	/**
	 * Refresh-ahead settings.
	 */
	public static final class RefreshAheadSettings {

		private double fraction = 0.8;

		private double jitter = 0.1;

		private int maxPerSecond = 20;

		private Duration ttl = Duration.ofSeconds(60);

		private long maxSize = 10_000;

		private RefreshAhead.Listener listener = RefreshAhead.Listener.NONE;

		RefreshAheadSettings() {
		}

		/**
		 * Sets the fraction of an answer's lifetime after which a use refreshes it.
		 * @param fraction between 0 and 1, exclusive
		 * @return these settings
		 */
		public RefreshAheadSettings fraction(double fraction) {
			this.fraction = fraction;
			return this;
		}

		/**
		 * Sets the most taken off the fraction, per token, so that answers obtained
		 * together are not refreshed together.
		 * @param jitter at least 0, below the fraction
		 * @return these settings
		 */
		public RefreshAheadSettings jitter(double jitter) {
			this.jitter = jitter;
			return this;
		}

		/**
		 * Sets the most refreshes started per second.
		 * @param maxPerSecond the budget
		 * @return these settings
		 */
		public RefreshAheadSettings maxPerSecond(int maxPerSecond) {
			this.maxPerSecond = maxPerSecond;
			return this;
		}

		/**
		 * Sets the cache's TTL and size, which bound an answer's lifetime and the answers
		 * remembered.
		 * @param ttl the cache's TTL
		 * @param maxSize the cache's size
		 * @return these settings
		 */
		public RefreshAheadSettings cache(Duration ttl, long maxSize) {
			this.ttl = ttl;
			this.maxSize = maxSize;
			return this;
		}

		/**
		 * Sets who is told of every refresh and answer served (the starter's meters).
		 * @param listener the listener
		 * @return these settings
		 */
		public RefreshAheadSettings listener(RefreshAhead.Listener listener) {
			Assert.notNull(listener, "listener must not be null");
			this.listener = listener;
			return this;
		}

		RefreshAhead create(BooleanSupplier callsPermitted, Clock clock) {
			return new RefreshAhead(this.fraction, this.jitter, this.maxPerSecond, this.ttl, this.maxSize,
					callsPermitted, this.listener, clock);
		}

	}

}
