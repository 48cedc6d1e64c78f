package io.github.tokenintrospection.reactive;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

import io.github.tokenintrospection.IntrospectedToken;
import io.github.tokenintrospection.client.IntrospectionResponseFormat;
import io.github.tokenintrospection.client.authentication.ClientAuthentication;
import io.github.tokenintrospection.internal.client.IntrospectionExchange;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.MediaType;
import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionException;
import org.springframework.util.Assert;
import org.springframework.util.unit.DataSize;
import org.springframework.web.reactive.function.BodyExtractors;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Calls an RFC 7662 introspection endpoint with Spring's {@link WebClient}, without
 * blocking. What is sent and how the answer is read is the
 * {@link IntrospectionExchange}'s, the same as for the blocking client: a form POST,
 * strict parsing, the size limit, and the same classification of failures.
 * <p>
 * Building a request can itself call the authorization server: discovery of the endpoint
 * on first use, a {@code client_credentials} token for {@code bearer}. Those calls block,
 * so when they are possible the request is built on a scheduler that allows blocking
 * ({@code Schedulers.boundedElastic()}), never on an event loop.
 */
public final class WebClientIntrospectionClient implements ReactiveIntrospectionClient {

	private final WebClient webClient;

	private final IntrospectionExchange exchange;

	private volatile @Nullable Scheduler preparationScheduler = Schedulers.boundedElastic();

	private final LongAdder requests = new LongAdder();

	/**
	 * Creates a client, the twin of the servlet stack's
	 * {@code RestClientIntrospectionClient}. Requests are built on
	 * {@code Schedulers.boundedElastic()} unless
	 * {@link #setPreparationScheduler(Scheduler) told otherwise}.
	 * @param webClient the client to send requests with (timeouts, TLS and redirect
	 * policy are its connector's)
	 * @param introspectionUri gives the introspection endpoint (it may be discovered on
	 * first use, and may throw {@link OAuth2IntrospectionException} when it cannot be)
	 * @param clientAuthentication how to authenticate to the endpoint
	 * @param tokenTypeHint value of {@code token_type_hint}, or an empty string to send
	 * none
	 */
	public WebClientIntrospectionClient(WebClient webClient, Supplier<URI> introspectionUri,
			ClientAuthentication clientAuthentication, String tokenTypeHint) {
		Assert.notNull(webClient, "webClient must not be null");
		this.webClient = webClient;
		this.exchange = new IntrospectionExchange(introspectionUri, clientAuthentication, tokenTypeHint);
	}

	/**
	 * Sets where requests are built. Building one may block (discovery of the endpoint on
	 * first use, a {@code client_credentials} token, signing a client assertion), which
	 * must never happen on an event loop; when none of that can happen, {@code null}
	 * builds them on the subscribing thread and saves a thread hop.
	 * @param preparationScheduler a scheduler that allows blocking, or {@code null}
	 */
	public void setPreparationScheduler(@Nullable Scheduler preparationScheduler) {
		this.preparationScheduler = preparationScheduler;
	}

	/**
	 * Sets the largest introspection response accepted; a larger one is a server fault.
	 * @param maxResponseSize the limit, 64 KiB unless set
	 */
	public void setMaxResponseSize(DataSize maxResponseSize) {
		this.exchange.setMaxResponseSize(maxResponseSize);
	}

	@Override
	public Mono<IntrospectedToken> introspect(String token) {
		Mono<IntrospectionExchange.Request> request = Mono.fromCallable(() -> this.exchange.prepare(token));
		Scheduler scheduler = this.preparationScheduler;
		if (scheduler != null) {
			request = request.subscribeOn(scheduler);
		}
		return request.flatMap((prepared) -> send(prepared, token));
	}

	/**
	 * Returns how many requests this client has sent to the introspection endpoint.
	 * @return the number of introspection requests since start
	 */
	public long requestCount() {
		return this.requests.sum();
	}

	private Mono<IntrospectedToken> send(IntrospectionExchange.Request request, String token) {
		this.requests.increment();
		long start = System.nanoTime();
		return this.webClient.post()
			.uri(request.endpoint())
			.headers((headers) -> headers.addAll(request.headers()))
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.accept(this.exchange.acceptedMediaTypes())
			.body(BodyInserters.fromFormData(request.form()))
			.exchangeToMono(this::readBody)
			.onErrorMap((ex) -> !(ex instanceof OAuth2IntrospectionException),
					(ex) -> failure(request, ex, Duration.ofNanos(System.nanoTime() - start)))
			.flatMap((answer) -> parse(answer, token));
	}

	/**
	 * Sets how answers are asked for and read, such as signed JWTs (RFC 9701);
	 * {@code null} (the default) for RFC 7662's plain JSON, read strictly. Answers whose
	 * reading may block (fetching the authorization server's keys) are read on
	 * {@code Schedulers.boundedElastic()}, never on an event loop.
	 * @param responseFormat the format, or {@code null}
	 */
	public void setResponseFormat(@Nullable IntrospectionResponseFormat responseFormat) {
		this.exchange.setResponseFormat(responseFormat);
	}

	private Mono<IntrospectedToken> parse(Answer answer, String token) {
		if (this.exchange.readMayBlock(answer.contentType())) {
			return Mono.fromCallable(() -> this.exchange.parse(answer.contentType(), answer.body(), token))
				.subscribeOn(Schedulers.boundedElastic());
		}
		return Mono.just(this.exchange.parse(answer.contentType(), answer.body(), token));
	}

	private Mono<Answer> readBody(ClientResponse response) {
		try {
			this.exchange.checkResponse(response.statusCode().value(), response.headers().asHttpHeaders());
		}
		catch (OAuth2IntrospectionException ex) {
			return response.releaseBody().then(Mono.error(ex));
		}
		MediaType contentType = response.headers().contentType().orElse(null);
		return DataBufferUtils.join(response.body(BodyExtractors.toDataBuffers()), this.exchange.maxResponseBytes())
			.map(WebClientIntrospectionClient::bytes)
			.defaultIfEmpty(new byte[0])
			.map((body) -> new Answer(contentType, body));
	}

	private record Answer(@Nullable MediaType contentType, byte[] body) {
	}

	private OAuth2IntrospectionException failure(IntrospectionExchange.Request request, Throwable ex,
			Duration elapsed) {
		if (ex instanceof DataBufferLimitException) {
			return this.exchange.responseTooLarge();
		}
		return IntrospectionExchange.requestFailed(request, ex, elapsed);
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

}
