package io.github.tokenintrospection.autoconfigure;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import io.github.tokenintrospection.authority.IntrospectionAuthoritiesConverter;
import io.github.tokenintrospection.cache.IntrospectionCacheControl;
import io.github.tokenintrospection.client.IntrospectionClient;
import io.github.tokenintrospection.client.RestClientIntrospectionClient;
import io.github.tokenintrospection.internal.cache.ServersCacheControl;
import io.github.tokenintrospection.internal.cache.TokenCacheControl;
import io.github.tokenintrospection.internal.cache.TokenCaches;
import io.github.tokenintrospection.internal.jwt.LocalJwtRouter;
import io.github.tokenintrospection.internal.observation.IntrospectionListeners;
import io.github.tokenintrospection.internal.observation.RecentCallOutcomes;
import io.github.tokenintrospection.internal.routing.RequestRules;
import io.github.tokenintrospection.internal.routing.RoutingTable;
import io.github.tokenintrospection.observation.IntrospectionDecision;
import io.github.tokenintrospection.observation.IntrospectionListener;
import io.github.tokenintrospection.pipeline.IntrospectionPipeline;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;
import org.springframework.web.client.RestClient;

/**
 * The authorization servers of {@code token-introspection.authorization-servers}, each
 * with everything of its own: connection, client authentication, caches, circuit breaker,
 * local JWT verification, authorities mapping, health record, request rules and issuers.
 * Built once at start-up, checked as the default server's settings are; both stacks build
 * their pipelines from it.
 */
final class NamedAuthorizationServers {

	private final List<Server> servers;

	private final TokenIntrospectionProperties.Probe probe;

	private NamedAuthorizationServers(List<Server> servers, TokenIntrospectionProperties.Probe probe) {
		this.servers = List.copyOf(servers);
		this.probe = probe;
	}

	static NamedAuthorizationServers create(TokenIntrospectionProperties properties, Environment environment,
			Supplier<RestClient.Builder> restClientBuilder, @Nullable SslBundles sslBundles,
			ServerCachesFactory cachesFactory) {
		List<Server> servers = new ArrayList<>();
		properties.getAuthorizationServers().forEach((name, server) -> {
			NamedServerProperties.check(name, server, environment);
			servers.add(NamedServerProperties.renamingFailures(name,
					() -> Server.create(name, server, restClientBuilder.get(), sslBundles, cachesFactory)));
		});
		if (servers.isEmpty() && !rules(properties).isEmpty()) {
			throw new InvalidConfigurationPropertyValueException(TokenIntrospectionProperties.PREFIX + ".route", null,
					"routes requests among several authorization servers: it needs " + NamedServerProperties.PREFIX
							+ ".<name>.*");
		}
		NamedAuthorizationServers named = new NamedAuthorizationServers(servers, properties.getProbe());
		named.checkEachCanBeChosen(properties);
		return named;
	}

	boolean isEmpty() {
		return this.servers.isEmpty();
	}

	List<Server> servers() {
		return this.servers;
	}

	/**
	 * Eviction and statistics over the default server's caches (when it has some) and
	 * every named one's.
	 */
	IntrospectionCacheControl cacheControl(@Nullable IntrospectionCacheControl defaultServer) {
		Map<String, IntrospectionCacheControl> controls = new LinkedHashMap<>();
		if (defaultServer != null) {
			controls.put(IntrospectionDecision.DEFAULT_SERVER, defaultServer);
		}
		for (Server server : this.servers) {
			TokenCaches caches = server.caches();
			if (caches != null) {
				controls.put(server.name(), new TokenCacheControl(caches.active(), caches.inactive()));
			}
		}
		return new ServersCacheControl(controls);
	}

	/**
	 * The routing table over the default server's pipeline and the named servers'.
	 * @param <I> the introspector type of the stack
	 * @param defaultServer the default server's route
	 * @param pipeline builds a named server's pipeline
	 * @param listeners the application's listeners, told about tokens no server takes
	 * @return the table
	 */
	<I> RoutingTable<I> table(RoutingTable.Server<I> defaultServer, Function<Server, I> pipeline,
			List<IntrospectionListener> listeners) {
		List<RoutingTable.Server<I>> routes = new ArrayList<>();
		routes.add(defaultServer);
		for (Server server : this.servers) {
			routes.add(new RoutingTable.Server<>(server.name(), server.rules(), server.issuers(), server.caches(),
					pipeline.apply(server)));
		}
		return new RoutingTable<>(routes, this.probe.isEnabled(), this.probe.getMaxServers(),
				new IntrospectionListeners(listeners, RoutingTable.NO_SERVER_NAME));
	}

	/**
	 * The route of the default server: the single-server properties.
	 */
	static <I> RoutingTable.Server<I> defaultRoute(TokenIntrospectionProperties properties,
			AuthorizationServerConnection connection, @Nullable TokenCaches caches, I pipeline) {
		return new RoutingTable.Server<>(IntrospectionDecision.DEFAULT_SERVER, rules(properties),
				issuers(properties, connection), caches, pipeline);
	}

	/**
	 * The issuers whose tokens a server takes: its issuer-uri (or a service connection's)
	 * and its allowed issuers.
	 */
	static Set<String> issuers(TokenIntrospectionProperties properties, AuthorizationServerConnection connection) {
		Set<String> issuers = new LinkedHashSet<>();
		if (connection.issuerUri() != null) {
			issuers.add(connection.issuerUri().toString());
		}
		issuers.addAll(properties.getValidation().getAllowedIssuers());
		return Set.copyOf(issuers);
	}

	/** The route rules, already checked by the properties' validator. */
	static RequestRules rules(TokenIntrospectionProperties properties) {
		TokenIntrospectionProperties.Route route = properties.getRoute();
		return RequestRules.of(route.getPaths(), route.getHosts(), route.getHeaders());
	}

	/**
	 * A server without request rules after another without rules is never chosen for an
	 * opaque token unless probing is on, and never for a JWT when it has no issuer
	 * either: a mistake to point out, not a server to keep silently.
	 */
	private void checkEachCanBeChosen(TokenIntrospectionProperties properties) {
		if (this.probe.isEnabled()) {
			return;
		}
		boolean catchAllBefore = rules(properties).isEmpty();
		for (Server server : this.servers) {
			if (server.rules().isEmpty()) {
				if (catchAllBefore && server.issuers().isEmpty()) {
					throw new InvalidConfigurationPropertyValueException(
							NamedServerProperties.prefix(server.name()) + "route", null,
							"the server is never chosen: a server declared before it takes every request its "
									+ "rules would; give it route rules, an issuer-uri (for its JWTs), or set "
									+ TokenIntrospectionProperties.PREFIX + ".probe.enabled=true");
				}
				catchAllBefore = true;
			}
		}
	}

	/**
	 * One named authorization server and what its pipeline is made of.
	 *
	 * @param name its name
	 * @param properties its settings
	 * @param connection how it is reached
	 * @param clientAuthentication how the resource server authenticates to it
	 * @param clientId the client id, for the audit trail
	 * @param caches its caches, or {@code null} when its cache is off
	 * @param circuitBreaker adds its circuit breaker to a pipeline, or {@code null}
	 * @param circuitBreakerState reads its circuit breaker's state, or {@code null}
	 * @param localJwt its local JWT verification, or {@code null}
	 * @param authorities its authorities mapping
	 * @param callOutcomes how its recent calls went, for its health
	 * @param rules the requests it takes
	 * @param issuers the issuers whose tokens it takes
	 */
	record Server(String name, TokenIntrospectionProperties.AuthorizationServer properties,
			AuthorizationServerConnection connection, ClientAuthenticationFactory clientAuthentication, String clientId,
			@Nullable TokenCaches caches, @Nullable UnaryOperator<IntrospectionPipeline.Builder> circuitBreaker,
			@Nullable Supplier<String> circuitBreakerState, @Nullable LocalJwtRouter localJwt,
			IntrospectionAuthoritiesConverter authorities, RecentCallOutcomes callOutcomes, RequestRules rules,
			Set<String> issuers) {

		/**
		 * A client for the server's health probes: the same connection and client
		 * authentication as its pipeline, plain JSON answers (a probe reads only whether
		 * the server answered).
		 */
		IntrospectionClient healthClient() {
			return NamedServerProperties.renamingFailures(this.name, () -> {
				RestClientIntrospectionClient client = new RestClientIntrospectionClient(this.connection.restClient(),
						this.connection.introspectionEndpoint(), this.clientAuthentication.create(),
						this.properties.getTokenTypeHint());
				client.setMaxResponseSize(this.properties.getLimits().getMaxResponseSize());
				return client;
			});
		}

		void addCircuitBreakerTo(IntrospectionPipeline.Builder builder) {
			if (this.circuitBreaker != null) {
				this.circuitBreaker.apply(builder);
			}
		}

		static Server create(String name, TokenIntrospectionProperties.AuthorizationServer properties,
				RestClient.Builder restClientBuilder, @Nullable SslBundles sslBundles,
				ServerCachesFactory cachesFactory) {
			NamedServerConnectionDetails details = new NamedServerConnectionDetails(name, properties);
			AuthorizationServerConnection connection = AuthorizationServerConnection.create(details, properties,
					restClientBuilder, sslBundles);
			ClientAuthenticationFactory clientAuthentication = new ClientAuthenticationFactory(properties, details,
					sslBundles, connection, Clock.systemUTC());
			TokenCaches caches = properties.getCache().isEnabled() ? cachesFactory.create(name, properties.getCache())
					: null;
			CircuitBreakers breaker = CircuitBreakers.of(name, properties);
			LocalJwtRouter localJwt = properties.getJwt().isEnabled()
					? IntrospectionCommonConfiguration.localJwtRouter(properties, connection) : null;
			String clientId = (properties.getClientId() != null) ? properties.getClientId() : "";
			return new Server(name, properties, connection, clientAuthentication, clientId, caches,
					(breaker != null) ? breaker.decorator() : null, (breaker != null) ? breaker.state() : null,
					localJwt, IntrospectionCommonConfiguration.authoritiesConverter(properties),
					new RecentCallOutcomes(Clock.systemUTC(), name), NamedAuthorizationServers.rules(properties),
					NamedAuthorizationServers.issuers(properties, connection));
		}

	}

	/**
	 * A named server's own circuit breaker, touching Resilience4j only when it is on the
	 * class path.
	 */
	record CircuitBreakers(UnaryOperator<IntrospectionPipeline.Builder> decorator, Supplier<String> state) {

		static @Nullable CircuitBreakers of(String name, TokenIntrospectionProperties properties) {
			if (!properties.getResilience().getCircuitBreaker().isEnabled()) {
				return null;
			}
			if (!ClassUtils.isPresent(ResilienceConfiguration.RESILIENCE4J_CIRCUIT_BREAKER,
					NamedAuthorizationServers.class.getClassLoader())) {
				throw ResilienceConfiguration.missingResilience4j();
			}
			return Resilience4j.create(name, properties);
		}

		private static final class Resilience4j {

			static CircuitBreakers create(String name, TokenIntrospectionProperties properties) {
				io.github.resilience4j.circuitbreaker.CircuitBreaker breaker = ResilienceConfiguration
					.circuitBreaker("token-introspection-" + name, properties);
				return new CircuitBreakers((builder) -> builder.circuitBreaker(breaker),
						() -> breaker.getState().name());
			}

		}

	}

}
