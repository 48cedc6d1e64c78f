package io.github.tokenintrospection.internal.reactive;

import java.util.List;
import java.util.function.Function;

import io.github.tokenintrospection.internal.routing.RoutedRequest;
import io.github.tokenintrospection.internal.routing.RoutingOpaqueTokenIntrospector;
import io.github.tokenintrospection.internal.routing.RoutingTable;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;

import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.security.oauth2.core.OAuth2AuthenticatedPrincipal;
import org.springframework.security.oauth2.server.resource.introspection.BadOpaqueTokenException;
import org.springframework.security.oauth2.server.resource.introspection.ReactiveOpaqueTokenIntrospector;
import org.springframework.web.filter.reactive.ServerWebExchangeContextFilter;
import org.springframework.web.server.ServerWebExchange;

/**
 * The reactive twin of {@link RoutingOpaqueTokenIntrospector}: the same table, the
 * servers asked in turn without blocking.
 */
public final class ReactiveRoutingOpaqueTokenIntrospector implements ReactiveOpaqueTokenIntrospector {

	private final RoutingTable<ReactiveOpaqueTokenIntrospector> table;

	private final Function<ContextView, @Nullable RoutedRequest> currentRequest;

	/**
	 * Creates the introspector.
	 * @param table the servers and how to choose among them
	 * @param currentRequest finds the request being authenticated in the subscriber's
	 * context, {@code null} outside of one
	 */
	public ReactiveRoutingOpaqueTokenIntrospector(RoutingTable<ReactiveOpaqueTokenIntrospector> table,
			Function<ContextView, @Nullable RoutedRequest> currentRequest) {
		this.table = table;
		this.currentRequest = currentRequest;
	}

	@Override
	public Mono<OAuth2AuthenticatedPrincipal> introspect(String token) {
		return Mono.deferContextual((context) -> {
			List<RoutingTable.Server<ReactiveOpaqueTokenIntrospector>> servers = this.table
				.choose(this.currentRequest.apply(context), token);
			if (servers.isEmpty()) {
				return Mono.error(this.table.noServer(token));
			}
			return ask(servers, 0, token, null);
		});
	}

	private Mono<OAuth2AuthenticatedPrincipal> ask(List<RoutingTable.Server<ReactiveOpaqueTokenIntrospector>> servers,
			int index, String token, @Nullable Throwable unavailable) {
		RoutingTable.Server<ReactiveOpaqueTokenIntrospector> server = servers.get(index);
		return server.introspector()
			.introspect(token)
			.map((principal) -> RoutingTable.acceptedBy(principal, server.name()))
			.onErrorResume((failure) -> {
				if (!RoutingTable.isWorthAskingTheNext(failure)) {
					return Mono.error(failure);
				}
				Throwable firstUnavailable = (unavailable == null && !(failure instanceof BadOpaqueTokenException))
						? failure : unavailable;
				if (index + 1 < servers.size()) {
					return ask(servers, index + 1, token, firstUnavailable);
				}
				return Mono.error(RoutingTable.outcome(firstUnavailable, failure));
			});
	}

	/**
	 * Finds the request in a subscriber's context: under the key of Spring's
	 * {@link ServerWebExchangeContextFilter} (the starter's 503 filter puts it there),
	 * else under the key of Spring Security's own context filter, so that replacing the
	 * starter's filter does not switch routing by request off.
	 * @param context the subscriber's context
	 * @return the request's path within the application, host and headers, or
	 * {@code null} outside of a request
	 */
	public static @Nullable RoutedRequest currentRequest(ContextView context) {
		return ServerWebExchangeContextFilter.getExchange(context)
			.or(() -> context.getOrEmpty(ServerWebExchange.class))
			.map((exchange) -> {
				ServerHttpRequest request = exchange.getRequest();
				return new RoutedRequest(request.getPath().pathWithinApplication().value(), request.getURI().getHost(),
						(name) -> request.getHeaders().getFirst(name));
			})
			.orElse(null);
	}

}
