package io.github.tokenintrospection.internal.reactive;

import java.nio.charset.StandardCharsets;

import io.github.tokenintrospection.internal.events.SecurityEventReceiver;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * The push endpoint of the security event receiver (RFC 8935) on WebFlux, ahead of Spring
 * Security's chain: the twin of the servlet's {@code SecurityEventPushFilter}. The body
 * is read up to the limit without blocking; verifying and evicting may fetch the
 * transmitter's keys and ask Redis, so they run on the bounded elastic scheduler, off the
 * event loop.
 */
public final class SecurityEventPushWebFilter implements WebFilter, Ordered {

	/** Ahead of the other filters of the starter and of Spring Security's chain. */
	public static final int ORDER = -103;

	private final String path;

	private final SecurityEventReceiver receiver;

	/**
	 * Creates the endpoint.
	 * @param path the path within the application it answers on
	 * @param receiver receives the SETs
	 */
	public SecurityEventPushWebFilter(String path, SecurityEventReceiver receiver) {
		this.path = path;
		this.receiver = receiver;
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		if (!this.path.equals(exchange.getRequest().getPath().pathWithinApplication().value())) {
			return chain.filter(exchange);
		}
		ServerHttpResponse response = exchange.getResponse();
		if (exchange.getRequest().getMethod() != HttpMethod.POST) {
			response.getHeaders().set(HttpHeaders.ALLOW, HttpMethod.POST.name());
			response.setStatusCode(HttpStatus.METHOD_NOT_ALLOWED);
			return response.setComplete();
		}
		HttpHeaders headers = exchange.getRequest().getHeaders();
		String contentType = headers.getFirst(HttpHeaders.CONTENT_TYPE);
		String authorization = headers.getFirst(HttpHeaders.AUTHORIZATION);
		SecurityEventReceiver.Receipt refused = this.receiver.refuseBeforeReading(contentType, authorization,
				headers.getContentLength());
		if (refused != null) {
			return answer(response, refused);
		}
		return DataBufferUtils.join(exchange.getRequest().getBody(), (int) this.receiver.maxBodyBytes())
			.map(SecurityEventPushWebFilter::bytes)
			.defaultIfEmpty(new byte[0])
			.map(Body::new)
			.onErrorResume(DataBufferLimitException.class, (ex) -> Mono.just(new Body(null)))
			.publishOn(Schedulers.boundedElastic())
			.map((body) -> this.receiver.receive(contentType, authorization, body.bytes()))
			.flatMap((receipt) -> answer(response, receipt));
	}

	private static byte[] bytes(DataBuffer buffer) {
		try {
			byte[] bytes = new byte[buffer.readableByteCount()];
			buffer.read(bytes);
			return bytes;
		}
		finally {
			DataBufferUtils.release(buffer);
		}
	}

	private static Mono<Void> answer(ServerHttpResponse response, SecurityEventReceiver.Receipt receipt) {
		response.setStatusCode(HttpStatus.valueOf(receipt.status()));
		String body = receipt.body();
		if (body == null) {
			return response.setComplete();
		}
		response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
		DataBuffer buffer = response.bufferFactory().wrap(body.getBytes(StandardCharsets.UTF_8));
		return response.writeWith(Mono.just(buffer));
	}

	/** A body, or {@code null} when it was longer than the limit. */
	private record Body(byte @org.jspecify.annotations.Nullable [] bytes) {
	}

}
