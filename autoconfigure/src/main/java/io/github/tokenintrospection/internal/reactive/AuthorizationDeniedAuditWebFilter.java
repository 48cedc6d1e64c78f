package io.github.tokenintrospection.internal.reactive;

import io.github.tokenintrospection.internal.observation.DeniedRules;
import io.github.tokenintrospection.internal.observation.RequestAudit;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.security.authorization.AuthorizationDeniedException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Records which rule denied a request: reactive method security publishes no
 * authorization events, but its {@link AuthorizationDeniedException} carries the decision
 * on its way from the handler to Spring Security's exception translation. Runs inside
 * Spring Security's filter chain's reach, after it (order 0), so that it sees the
 * exception first.
 */
public final class AuthorizationDeniedAuditWebFilter implements WebFilter, Ordered {

	@Override
	public int getOrder() {
		return 0;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		return chain.filter(exchange).doOnError(AuthorizationDeniedException.class, (denied) -> {
			RequestAudit audit = exchange.getAttribute(RequestAudit.class.getName());
			if (audit != null) {
				audit.denied(DeniedRules.describe(denied));
			}
		});
	}

}
