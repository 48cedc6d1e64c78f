package io.github.tokenintrospection.client;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

import io.github.tokenintrospection.IntrospectedToken;
import io.github.tokenintrospection.client.authentication.ClientAuthentication;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionException;
import org.springframework.util.Assert;
import org.springframework.util.MultiValueMap;
import org.springframework.util.StringUtils;
import org.springframework.util.unit.DataSize;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

/**
 * Calls an RFC 7662 introspection endpoint with Spring's {@link RestClient}: a form POST
 * carrying {@code token} and, unless switched off, {@code token_type_hint}, authenticated
 * by a {@link ClientAuthentication}.
 * <p>
 * Anything but HTTP 200 with a JSON body is a server fault ({@link OAuth2IntrospectionException}),
 * never an inactive token: a 400 or 401 usually means the resource server is misconfigured,
 * and must not make every token look revoked.
 */
public final class RestClientIntrospectionClient implements IntrospectionClient {

	private static final Log logger = LogFactory.getLog(RestClientIntrospectionClient.class);

	/** Larger answers are not introspection responses; refusing them bounds memory. */
	static final int MAX_RESPONSE_BYTES = 64 * 1024;

	private final RestClient restClient;

	private final Supplier<URI> introspectionUri;

	private final ClientAuthentication clientAuthentication;

	private final String tokenTypeHint;

	private final IntrospectionResponseParser parser = new IntrospectionResponseParser();

	private final LongAdder requests = new LongAdder();

	private final AtomicBoolean rejectedCredentialsReported = new AtomicBoolean();

	private int maxResponseBytes = MAX_RESPONSE_BYTES;

	/**
	 * Creates a client.
	 * @param restClient the client to send requests with (timeouts and redirect policy are
	 * its request factory's)
	 * @param introspectionUri gives the introspection endpoint (it may be discovered on first
	 * use, and may throw {@link OAuth2IntrospectionException} when it cannot be)
	 * @param clientAuthentication how to authenticate to the endpoint
	 * @param tokenTypeHint value of {@code token_type_hint}, or an empty string to send none
	 */
	public RestClientIntrospectionClient(RestClient restClient, Supplier<URI> introspectionUri,
			ClientAuthentication clientAuthentication, String tokenTypeHint) {
		Assert.notNull(restClient, "restClient must not be null");
		Assert.notNull(introspectionUri, "introspectionUri must not be null");
		Assert.notNull(clientAuthentication, "clientAuthentication must not be null");
		this.restClient = restClient;
		this.introspectionUri = introspectionUri;
		this.clientAuthentication = clientAuthentication;
		this.tokenTypeHint = (tokenTypeHint != null) ? tokenTypeHint : "";
	}

	@Override
	public IntrospectedToken introspect(String token) {
		URI endpoint = this.introspectionUri.get();
		MultiValueMap<String, String> form = new IntrospectionForm();
		form.add("token", token);
		if (StringUtils.hasText(this.tokenTypeHint)) {
			form.add("token_type_hint", this.tokenTypeHint);
		}
		HttpHeaders headers = new HttpHeaders();
		this.clientAuthentication.authenticate(endpoint, headers, form);
		this.requests.increment();
		byte[] body;
		try {
			body = this.restClient.post()
				.uri(endpoint)
				.headers((requestHeaders) -> requestHeaders.addAll(headers))
				.contentType(MediaType.APPLICATION_FORM_URLENCODED)
				.accept(MediaType.APPLICATION_JSON)
				.body(form)
				.exchange((request, response) -> readBody(response), true);
			this.rejectedCredentialsReported.set(false);
		}
		catch (RestClientException ex) {
			throw IntrospectionFailures.requestFailed(ex);
		}
		return this.parser.parse(body);
	}

	/**
	 * Returns how many requests this client has sent to the introspection endpoint, so that
	 * operators and tests can see how much the cache saves.
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
		Assert.isTrue(maxResponseSize != null && maxResponseSize.toBytes() > 0
				&& maxResponseSize.toBytes() < Integer.MAX_VALUE, "maxResponseSize must be between 1 byte and 2 GB");
		this.maxResponseBytes = (int) maxResponseSize.toBytes();
	}

	private byte[] readBody(ClientHttpResponse response) throws IOException {
		int status = response.getStatusCode().value();
		if (status == HttpStatus.UNAUTHORIZED.value() || status == HttpStatus.FORBIDDEN.value()) {
			reportRejectedCredentials(status);
		}
		if (status != HttpStatus.OK.value()) {
			throw IntrospectionFailures.errorStatus(status, response.getHeaders(), Clock.systemUTC());
		}
		MediaType contentType = response.getHeaders().getContentType();
		if (contentType != null && !isJson(contentType)) {
			throw new OAuth2IntrospectionException("Introspection endpoint answered with content type " + contentType);
		}
		try (InputStream in = response.getBody()) {
			byte[] body = in.readNBytes(this.maxResponseBytes + 1);
			if (body.length > this.maxResponseBytes) {
				throw new OAuth2IntrospectionException(
						"Introspection response is larger than " + this.maxResponseBytes + " bytes");
			}
			return body;
		}
	}

	/**
	 * The server refuses the resource server itself: a configuration fault that every request
	 * would repeat. Said clearly once, until a request succeeds again.
	 */
	private void reportRejectedCredentials(int status) {
		if (this.rejectedCredentialsReported.compareAndSet(false, true)) {
			logger.error("The introspection endpoint rejected this resource server's client authentication (HTTP "
					+ status + "); check the client id, its secret or key, and "
					+ "token-introspection.client-authentication-method. Requests get 503 until this is fixed.");
		}
	}

	private static boolean isJson(MediaType contentType) {
		return MediaType.APPLICATION_JSON.isCompatibleWith(contentType)
				|| contentType.getSubtype().endsWith("+json");
	}

}
