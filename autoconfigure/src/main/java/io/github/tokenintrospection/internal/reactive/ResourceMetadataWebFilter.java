package io.github.tokenintrospection.internal.reactive;

import java.net.URI;
import java.util.List;

import io.github.tokenintrospection.internal.web.ResourceMetadata;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.security.oauth2.server.resource.OAuth2ProtectedResourceMetadata;
import org.springframework.util.Assert;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Protected resource metadata (RFC 9728) on WebFlux, where Spring Security has none:
 * serves {@code /.well-known/oauth-protected-resource} (with the same members as the
 * servlet stack) ahead of the security filter chain, since a client reads it before it
 * has a token, and adds {@code resource_metadata} to the {@code WWW-Authenticate: Bearer}
 * challenge of every 401. URLs are built from the request as the application sees it, so
 * behind a proxy they follow the forwarded headers when
 * {@code server.forward-headers-strategy} says so.
 */
public final class ResourceMetadataWebFilter implements WebFilter, Ordered {

	/** Ahead of Spring Security's {@code WebFilterChainProxy} (order -100). */
	public static final int ORDER = -102;

	private final ResourceMetadata metadata;

	private final JsonMapper jsonMapper = JsonMapper.builder().build();

	/**
	 * Creates the filter.
	 * @param metadata what this resource server says of itself
	 */
	public ResourceMetadataWebFilter(ResourceMetadata metadata) {
		Assert.notNull(metadata, "metadata must not be null");
		this.metadata = metadata;
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		ServerHttpRequest request = exchange.getRequest();
		String path = request.getPath().pathWithinApplication().value();
		if (HttpMethod.GET.equals(request.getMethod()) && (path.equals(ResourceMetadata.WELL_KNOWN_PATH)
				|| path.startsWith(ResourceMetadata.WELL_KNOWN_PATH + "/"))) {
			return serve(exchange, path.substring(ResourceMetadata.WELL_KNOWN_PATH.length()));
		}
		ServerHttpResponse response = exchange.getResponse();
		response.beforeCommit(() -> {
			challengeWithMetadata(exchange);
			return Mono.empty();
		});
		return chain.filter(exchange);
	}

	private Mono<Void> serve(ServerWebExchange exchange, String resourcePath) {
		OAuth2ProtectedResourceMetadata.Builder builder = OAuth2ProtectedResourceMetadata.builder()
			.resource(baseUrl(exchange).replacePath(resourcePath).build().toUriString());
		this.metadata.describe(builder);
		byte[] json = this.jsonMapper.writeValueAsBytes(builder.build().getClaims());
		ServerHttpResponse response = exchange.getResponse();
		response.setStatusCode(HttpStatus.OK);
		response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
		DataBuffer body = response.bufferFactory().wrap(json);
		return response.writeWith(Mono.just(body));
	}

	private static void challengeWithMetadata(ServerWebExchange exchange) {
		ServerHttpResponse response = exchange.getResponse();
		if (!HttpStatus.UNAUTHORIZED.equals(response.getStatusCode())) {
			return;
		}
		HttpHeaders headers = response.getHeaders();
		List<String> challenges = headers.get(HttpHeaders.WWW_AUTHENTICATE);
		if (challenges == null || challenges.size() != 1 || !challenges.get(0).startsWith("Bearer")
				|| challenges.get(0).contains("resource_metadata=")) {
			return;
		}
		String challenge = challenges.get(0);
		String url = baseUrl(exchange).replacePath(ResourceMetadata.WELL_KNOWN_PATH).build().toUriString();
		String parameter = "resource_metadata=\"" + url + "\"";
		headers.set(HttpHeaders.WWW_AUTHENTICATE,
				challenge.equals("Bearer") ? "Bearer " + parameter : challenge + ", " + parameter);
	}

	/** Scheme, host and port of the request, without path, query or fragment. */
	private static UriComponentsBuilder baseUrl(ServerWebExchange exchange) {
		URI uri = exchange.getRequest().getURI();
		return UriComponentsBuilder.newInstance().scheme(uri.getScheme()).host(uri.getHost()).port(uri.getPort());
	}

}
