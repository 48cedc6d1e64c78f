package io.github.tokenintrospection.client;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

import io.github.tokenintrospection.IntrospectedToken;
import io.github.tokenintrospection.client.authentication.ClientAuthentication;
import io.github.tokenintrospection.internal.client.IntrospectionExchange;
import org.jspecify.annotations.Nullable;

import org.springframework.http.MediaType;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionException;
import org.springframework.util.Assert;
import org.springframework.util.unit.DataSize;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

/**
 * Calls an RFC 7662 introspection endpoint with Spring's {@link RestClient}: a form POST
 * carrying {@code token} and, unless switched off, {@code token_type_hint}, authenticated
 * by a {@link ClientAuthentication}. What is sent and how the answer is read is the
 * {@link IntrospectionExchange}'s, shared with the reactive client.
 * <p>
 * Anything but HTTP 200 with a JSON body is a server fault
 * ({@link OAuth2IntrospectionException}), never an inactive token: a 400 or 401 usually
 * means the resource server is misconfigured, and must not make every token look revoked.
 */
public final class RestClientIntrospectionClient implements IntrospectionClient {

	/** Larger answers are not introspection responses; refusing them bounds memory. */
	static final int MAX_RESPONSE_BYTES = IntrospectionExchange.MAX_RESPONSE_BYTES;

	private final RestClient restClient;

	private final IntrospectionExchange exchange;

	private final LongAdder requests = new LongAdder();

	/**
	 * Creates a client.
	 * @param restClient the client to send requests with (timeouts and redirect policy
	 * are its request factory's)
	 * @param introspectionUri gives the introspection endpoint (it may be discovered on
	 * first use, and may throw {@link OAuth2IntrospectionException} when it cannot be)
	 * @param clientAuthentication how to authenticate to the endpoint
	 * @param tokenTypeHint value of {@code token_type_hint}, or an empty string to send
	 * none
	 */
	public RestClientIntrospectionClient(RestClient restClient, Supplier<URI> introspectionUri,
			ClientAuthentication clientAuthentication, String tokenTypeHint) {
		Assert.notNull(restClient, "restClient must not be null");
		this.restClient = restClient;
		this.exchange = new IntrospectionExchange(introspectionUri, clientAuthentication, tokenTypeHint);
	}

	@Override
	public IntrospectedToken introspect(String token) {
		IntrospectionExchange.Request request = this.exchange.prepare(token);
		this.requests.increment();
		Answer answer;
		long start = System.nanoTime();
		try {
			answer = this.restClient.post()
				.uri(request.endpoint())
				.headers((requestHeaders) -> requestHeaders.addAll(request.headers()))
				.contentType(MediaType.APPLICATION_FORM_URLENCODED)
				.accept(this.exchange.acceptedMediaTypes())
				.body(request.form())
				.exchange((clientRequest, response) -> readBody(response), true);
		}
		catch (RestClientException ex) {
			throw IntrospectionExchange.requestFailed(request, ex, Duration.ofNanos(System.nanoTime() - start));
		}
		return this.exchange.parse(answer.contentType(), answer.body(), token);
	}

	/**
	 * Sets how answers are asked for and read, such as signed JWTs (RFC 9701);
	 * {@code null} (the default) for RFC 7662's plain JSON, read strictly.
	 * @param responseFormat the format, or {@code null}
	 */
	public void setResponseFormat(@Nullable IntrospectionResponseFormat responseFormat) {
		this.exchange.setResponseFormat(responseFormat);
	}

	/**
	 * Returns how many requests this client has sent to the introspection endpoint, so
	 * that operators and tests can see how much the cache saves.
	 * @return the number of introspection requests since start
	 */
	public long requestCount() {
		return this.requests.sum();
	}

	/**
	 * Sets the largest introspection response accepted; a larger one is a server fault.
	 * @param maxResponseSize the limit, 64 KiB unless set
	 */
	public void setMaxResponseSize(DataSize maxResponseSize) {
		this.exchange.setMaxResponseSize(maxResponseSize);
	}

	private Answer readBody(ClientHttpResponse response) throws IOException {
		this.exchange.checkResponse(response.getStatusCode().value(), response.getHeaders());
		int maxResponseBytes = this.exchange.maxResponseBytes();
		try (InputStream in = response.getBody()) {
			byte[] body = in.readNBytes(maxResponseBytes + 1);
			if (body.length > maxResponseBytes) {
				throw this.exchange.responseTooLarge();
			}
			return new Answer(response.getHeaders().getContentType(), body);
		}
	}

	private record Answer(@Nullable MediaType contentType, byte[] body) {
	}

}
