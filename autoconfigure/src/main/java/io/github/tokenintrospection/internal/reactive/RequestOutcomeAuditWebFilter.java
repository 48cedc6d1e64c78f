package io.github.tokenintrospection.internal.reactive;

import java.util.List;
import java.util.function.Supplier;

import io.github.tokenintrospection.internal.observation.AuditTrailListener;
import io.github.tokenintrospection.internal.observation.RequestAudit;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Opens the audit record of each request (its correlation id is the server's request id,
 * {@link org.springframework.http.server.reactive.ServerHttpRequest#getId()}, the one
 * WebFlux's own log lines show) and puts it in the Reactor context, where the token
 * decision finds it; writes the request's outcome when it ends. Runs just outside Spring
 * Security's filter chain.
 */
public final class RequestOutcomeAuditWebFilter implements WebFilter, Ordered {

	/** Just before Spring Security's {@code WebFilterChainProxy} (order -100). */
	public static final int ORDER = -101;

	private static final String UNMATCHED = "unmatched";

	private final Supplier<AuditTrailListener> auditTrail;

	private final Supplier<List<HandlerMapping>> handlerMappings;

	/**
	 * Creates the filter.
	 * @param auditTrail gives the audit trail that writes the outcome, looked up on first
	 * use
	 * @param handlerMappings the application's handler mappings, to name the pattern of a
	 * request that was refused before it reached its handler
	 */
	public RequestOutcomeAuditWebFilter(Supplier<AuditTrailListener> auditTrail,
			Supplier<List<HandlerMapping>> handlerMappings) {
		this.auditTrail = auditTrail;
		this.handlerMappings = handlerMappings;
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		RequestAudit audit = new RequestAudit(exchange.getRequest().getId());
		exchange.getAttributes().put(RequestAudit.class.getName(), audit);
		return chain.filter(exchange)
			.contextWrite((context) -> context.put(RequestAudit.class, audit))
			.then(Mono.defer(() -> complete(exchange, audit, status(exchange, 200))))
			// An error leaving the chain becomes a 500 outside it.
			.onErrorResume((ex) -> complete(exchange, audit, 500).then(Mono.error(ex)));
	}

	private Mono<Void> complete(ServerWebExchange exchange, RequestAudit audit, int status) {
		String method = exchange.getRequest().getMethod().name();
		String pattern = bestMatchingPattern(exchange);
		if (pattern != null || !audit.hasDecision()) {
			this.auditTrail.get()
				.requestCompleted(audit, method, () -> (pattern != null) ? pattern : UNMATCHED, status);
			return Mono.empty();
		}
		// Refused before it reached its handler: ask the mappings which one it was meant
		// for.
		return Flux.fromIterable(this.handlerMappings.get())
			.concatMap((mapping) -> mapping.getHandler(exchange).onErrorResume((ex) -> Mono.empty()))
			.next()
			.map((handler) -> bestMatchingPattern(exchange))
			.defaultIfEmpty(UNMATCHED)
			.onErrorReturn(UNMATCHED)
			.doOnNext((found) -> this.auditTrail.get().requestCompleted(audit, method, () -> found, status))
			.then();
	}

	private static int status(ServerWebExchange exchange, int otherwise) {
		HttpStatusCode status = exchange.getResponse().getStatusCode();
		return (status != null) ? status.value() : otherwise;
	}

	private static @Nullable String bestMatchingPattern(ServerWebExchange exchange) {
		Object pattern = exchange.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
		return (pattern != null) ? pattern.toString() : null;
	}

}
