package io.github.tokenintrospection.internal.reactive;

import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Just behind Spring Security's WebFlux chain: gives the handlers the
 * {@code Authorization} header as the caller sent it ({@code DPoP <token>}) after
 * {@link DPoPSchemeWebFilter} showed it to the chain as a bearer token, so that a handler
 * relaying it (a gateway, a token exchange) relays what the caller sent, as on the
 * servlet stack.
 */
public final class DPoPSchemeRestoringWebFilter implements WebFilter, Ordered {

	/** Just after Spring Security's chain (-100). */
	public static final int ORDER = -99;

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		String sent = exchange.getAttribute(DPoPSchemeWebFilter.SENT_AUTHORIZATION);
		if (sent == null) {
			return chain.filter(exchange);
		}
		// Mutating keeps the authenticated principal: the new exchange delegates to this
		// one.
		return chain.filter(exchange.mutate()
			.request((request) -> request.headers((headers) -> headers.set(HttpHeaders.AUTHORIZATION, sent)))
			.build());
	}

}
