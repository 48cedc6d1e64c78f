package io.github.tokenintrospection.reactive;

import java.time.Duration;
import java.util.function.Supplier;

import io.github.tokenintrospection.internal.web.ServiceUnavailableAnswer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionException;
import org.springframework.web.filter.reactive.ServerWebExchangeContextFilter;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * The WebFlux counterpart of
 * {@link io.github.tokenintrospection.web.AuthorizationServerUnavailableFilter}: turns a
 * failure to introspect into HTTP 503 with {@code Retry-After},
 * {@code Cache-Control: no-store} and the same JSON body, instead of the 500 that Spring
 * Security's reactive resource server produces (it passes such failures on as an
 * {@code AuthenticationServiceException}).
 * <p>
 * Ordered just before Spring Security's {@code WebFilterChainProxy}, so it covers every
 * security filter chain. It also puts the exchange into the Reactor context (as Spring's
 * {@link ServerWebExchangeContextFilter} does), for the stale-if-error response header.
 */
public final class AuthorizationServerUnavailableWebFilter implements WebFilter, Ordered {

	/** Just before Spring Security's {@code WebFilterChainProxy} (order -100). */
	public static final int ORDER = -101;

	private static final Log logger = LogFactory.getLog(AuthorizationServerUnavailableWebFilter.class);

	private final ServiceUnavailableAnswer answer;

	/**
	 * Creates a filter.
	 * @param defaultRetryAfter supplies the {@code Retry-After} to send when neither the
	 * authorization server nor the circuit breaker gave one
	 */
	public AuthorizationServerUnavailableWebFilter(Supplier<Duration> defaultRetryAfter) {
		this.answer = new ServiceUnavailableAnswer(defaultRetryAfter);
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		return chain.filter(exchange)
			.onErrorResume(
					(ex) -> ServiceUnavailableAnswer.introspectionFailure(ex) != null
							&& !exchange.getResponse().isCommitted(),
					(ex) -> serviceUnavailable(exchange.getResponse(),
							ServiceUnavailableAnswer.introspectionFailure(ex)))
			.contextWrite(
					(context) -> context.put(ServerWebExchangeContextFilter.EXCHANGE_CONTEXT_ATTRIBUTE, exchange));
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	private Mono<Void> serviceUnavailable(ServerHttpResponse response, OAuth2IntrospectionException failure) {
		ServiceUnavailableAnswer.log(logger, failure);
		response.setStatusCode(HttpStatus.SERVICE_UNAVAILABLE);
		HttpHeaders headers = response.getHeaders();
		headers.set(HttpHeaders.RETRY_AFTER, Long.toString(this.answer.retryAfterSeconds(failure)));
		headers.set(HttpHeaders.CACHE_CONTROL, "no-store");
		headers.set(HttpHeaders.CONTENT_TYPE, ServiceUnavailableAnswer.CONTENT_TYPE);
		DataBuffer body = response.bufferFactory().wrap(ServiceUnavailableAnswer.bodyBytes());
		return response.writeWith(Mono.just(body));
	}

}
