package io.github.tokenintrospection.client;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.atomic.LongAdder;

import io.github.tokenintrospection.IntrospectedToken;

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
 * with the client's id and secret.
 * <p>
 * Anything but HTTP 200 with a JSON body is a server fault ({@link OAuth2IntrospectionException}),
 * never an inactive token: a 400 or 401 usually means the resource server is misconfigured,
 * and must not make every token look revoked.
 */
public final class RestClientIntrospectionClient implements IntrospectionClient {

	/** Larger answers are not introspection responses; refusing them bounds memory. */
	static final int MAX_RESPONSE_BYTES = 64 * 1024;

	private final RestClient restClient;

	private final URI introspectionUri;

	private final ClientCredentials credentials;

	private final String tokenTypeHint;

	private final IntrospectionResponseParser parser = new IntrospectionResponseParser();

	private final LongAdder requests = new LongAdder();

	private int maxResponseBytes = MAX_RESPONSE_BYTES;

	/**
	 * Creates a client.
	 * @param restClient the client to send requests with (timeouts and redirect policy are
	 * its request factory's)
	 * @param introspectionUri the introspection endpoint
	 * @param credentials how to authenticate to the endpoint
	 * @param tokenTypeHint value of {@code token_type_hint}, or an empty string to send none
	 */
	public RestClientIntrospectionClient(RestClient restClient, URI introspectionUri, ClientCredentials credentials,
			String tokenTypeHint) {
		Assert.notNull(restClient, "restClient must not be null");
		Assert.notNull(introspectionUri, "introspectionUri must not be null");
		Assert.notNull(credentials, "credentials must not be null");
		this.restClient = restClient;
		this.introspectionUri = introspectionUri;
		this.credentials = credentials;
		this.tokenTypeHint = (tokenTypeHint != null) ? tokenTypeHint : "";
	}

	@Override
	public IntrospectedToken introspect(String token) {
		MultiValueMap<String, String> form = new IntrospectionForm();
		form.add("token", token);
		if (StringUtils.hasText(this.tokenTypeHint)) {
			form.add("token_type_hint", this.tokenTypeHint);
		}
		HttpHeaders headers = new HttpHeaders();
		this.credentials.apply(headers, form);
		this.requests.increment();
		byte[] body;
		try {
			body = this.restClient.post()
				.uri(this.introspectionUri)
				.headers((requestHeaders) -> requestHeaders.addAll(headers))
				.contentType(MediaType.APPLICATION_FORM_URLENCODED)
				.accept(MediaType.APPLICATION_JSON)
				.body(form)
				.exchange((request, response) -> readBody(response), true);
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
		if (response.getStatusCode().value() != HttpStatus.OK.value()) {
			throw IntrospectionFailures.errorStatus(response.getStatusCode().value(), response.getHeaders(),
					Clock.systemUTC());
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

	private static boolean isJson(MediaType contentType) {
		return MediaType.APPLICATION_JSON.isCompatibleWith(contentType)
				|| contentType.getSubtype().endsWith("+json");
	}

	/**
	 * The resource server's client id and secret and how to present them.
	 *
	 * @param clientId the client id
	 * @param clientSecret the client secret, never logged
	 * @param method where to put them in the request
	 */
	public record ClientCredentials(String clientId, String clientSecret, ClientAuthenticationMethod method) {

		/**
		 * Validates the credentials.
		 */
		public ClientCredentials {
			Assert.hasText(clientId, "clientId must not be empty");
			Assert.hasText(clientSecret, "clientSecret must not be empty");
			Assert.notNull(method, "method must not be null");
		}

		void apply(HttpHeaders headers, MultiValueMap<String, String> form) {
			switch (this.method) {
				case CLIENT_SECRET_BASIC -> headers.setBasicAuth(formEncode(this.clientId),
						formEncode(this.clientSecret), StandardCharsets.UTF_8);
				case CLIENT_SECRET_POST -> {
					form.add("client_id", this.clientId);
					form.add("client_secret", this.clientSecret);
				}
			}
		}

		private static String formEncode(String value) {
			return URLEncoder.encode(value, StandardCharsets.UTF_8);
		}

		@Override
		public String toString() {
			return "ClientCredentials[clientId=" + this.clientId + ", method=" + this.method + "]";
		}

	}

}
