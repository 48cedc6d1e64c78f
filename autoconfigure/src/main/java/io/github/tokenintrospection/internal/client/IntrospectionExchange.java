package io.github.tokenintrospection.internal.client;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import io.github.tokenintrospection.IntrospectedToken;
import io.github.tokenintrospection.client.AuthorizationServerUnavailableException;
import io.github.tokenintrospection.client.IntrospectionResponseFormat;
import io.github.tokenintrospection.client.authentication.ClientAuthentication;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionException;
import org.springframework.util.Assert;
import org.springframework.util.MultiValueMap;
import org.springframework.util.StringUtils;
import org.springframework.util.unit.DataSize;

/**
 * The RFC 7662 exchange with the introspection endpoint, apart from sending it: the
 * request (endpoint, form, client authentication) and the strict reading of the answer
 * (status, content type, size limit, parsing). The blocking and the reactive HTTP clients
 * both use it, so that they differ only in how they send the request and wait for the
 * answer.
 * <p>
 * Anything but HTTP 200 with a JSON body is a server fault
 * ({@link OAuth2IntrospectionException}), never an inactive token: a 400 or 401 usually
 * means the resource server is misconfigured, and must not make every token look revoked.
 */
public final class IntrospectionExchange {

	private static final Log logger = LogFactory.getLog(IntrospectionExchange.class);

	/** Larger answers are not introspection responses; refusing them bounds memory. */
	public static final int MAX_RESPONSE_BYTES = 64 * 1024;

	private final Supplier<URI> introspectionUri;

	private final ClientAuthentication clientAuthentication;

	private final String tokenTypeHint;

	private final IntrospectionResponseParser parser = new IntrospectionResponseParser();

	private final AtomicBoolean rejectedCredentialsReported = new AtomicBoolean();

	private volatile int maxResponseBytes = MAX_RESPONSE_BYTES;

	private volatile @Nullable IntrospectionResponseFormat responseFormat;

	/**
	 * Creates the exchange.
	 * @param introspectionUri gives the introspection endpoint (it may be discovered on
	 * first use, and may throw {@link OAuth2IntrospectionException} when it cannot be)
	 * @param clientAuthentication how to authenticate to the endpoint
	 * @param tokenTypeHint value of {@code token_type_hint}, or an empty string to send
	 * none
	 */
	public IntrospectionExchange(Supplier<URI> introspectionUri, ClientAuthentication clientAuthentication,
			@Nullable String tokenTypeHint) {
		Assert.notNull(introspectionUri, "introspectionUri must not be null");
		Assert.notNull(clientAuthentication, "clientAuthentication must not be null");
		this.introspectionUri = introspectionUri;
		this.clientAuthentication = clientAuthentication;
		this.tokenTypeHint = (tokenTypeHint != null) ? tokenTypeHint : "";
	}

	/**
	 * Builds the request for a token. With discovery or a {@code client_credentials}
	 * bearer token this may call the authorization server the first time.
	 * @param token the raw token
	 * @return the request to send
	 */
	public Request prepare(String token) {
		URI endpoint = this.introspectionUri.get();
		MultiValueMap<String, String> form = new IntrospectionForm();
		form.add("token", token);
		if (StringUtils.hasText(this.tokenTypeHint)) {
			form.add("token_type_hint", this.tokenTypeHint);
		}
		HttpHeaders headers = new HttpHeaders();
		this.clientAuthentication.authenticate(endpoint, headers, form);
		return new Request(endpoint, headers, form);
	}

	/**
	 * Checks the status and headers of an answer before its body is read.
	 * @param status the HTTP status code
	 * @param headers the response headers
	 * @throws OAuth2IntrospectionException when the answer is not a 200 with a JSON body
	 */
	public void checkResponse(int status, HttpHeaders headers) {
		if (status == HttpStatus.UNAUTHORIZED.value() || status == HttpStatus.FORBIDDEN.value()) {
			reportRejectedCredentials(status);
		}
		if (status != HttpStatus.OK.value()) {
			throw IntrospectionFailures.errorStatus(status, headers, Clock.systemUTC());
		}
		MediaType contentType = headers.getContentType();
		// A response format checks the content type itself, while reading the answer.
		if (this.responseFormat == null && contentType != null && !IntrospectionResponseReader.isJson(contentType)) {
			throw new OAuth2IntrospectionException("Introspection endpoint answered with content type " + contentType);
		}
	}

	/**
	 * Returns the largest body read; a longer one is refused with
	 * {@link #responseTooLarge()}.
	 * @return the limit in bytes
	 */
	public int maxResponseBytes() {
		return this.maxResponseBytes;
	}

	/**
	 * The failure for a body over {@link #maxResponseBytes()}.
	 * @return the exception to throw
	 */
	public OAuth2IntrospectionException responseTooLarge() {
		return new OAuth2IntrospectionException(
				"Introspection response is larger than " + this.maxResponseBytes + " bytes");
	}

	/**
	 * Parses the body of a checked answer, strictly.
	 * @param body the body, at most {@link #maxResponseBytes()} long
	 * @return the result
	 * @throws OAuth2IntrospectionException when the body is malformed
	 */
	public IntrospectedToken parse(byte[] body) {
		return parse(null, body);
	}

	/**
	 * Reads the body of a checked answer, strictly, in the response format when one is
	 * set.
	 * @param contentType the answer's content type, or {@code null}
	 * @param body the body, at most {@link #maxResponseBytes()} long
	 * @return the result
	 * @throws OAuth2IntrospectionException when the body is malformed or cannot be
	 * trusted
	 */
	public IntrospectedToken parse(@Nullable MediaType contentType, byte[] body) {
		return parse(contentType, body, null);
	}

	/**
	 * Reads the body of a checked answer about a token, strictly, in the response format
	 * when one is set.
	 * @param contentType the answer's content type, or {@code null}
	 * @param body the body, at most {@link #maxResponseBytes()} long
	 * @param token the token that was introspected, for formats that bind the answer to
	 * it
	 * @return the result
	 * @throws OAuth2IntrospectionException when the body is malformed or cannot be
	 * trusted
	 */
	public IntrospectedToken parse(@Nullable MediaType contentType, byte[] body, @Nullable String token) {
		if (body.length > this.maxResponseBytes) {
			throw responseTooLarge();
		}
		this.rejectedCredentialsReported.set(false);
		IntrospectionResponseFormat format = this.responseFormat;
		return (format != null) ? format.read(contentType, body, token) : this.parser.parse(body);
	}

	/**
	 * Returns the media types to ask the endpoint for.
	 * @return the value of the {@code Accept} header
	 */
	public MediaType[] acceptedMediaTypes() {
		IntrospectionResponseFormat format = this.responseFormat;
		return (format != null) ? format.acceptedMediaTypes().toArray(MediaType[]::new)
				: new MediaType[] { MediaType.APPLICATION_JSON };
	}

	/**
	 * Whether reading an answer of this type may block.
	 * @param contentType the answer's content type, or {@code null}
	 * @return {@code true} when {@link #parse(MediaType, byte[])} may block
	 */
	public boolean readMayBlock(@Nullable MediaType contentType) {
		IntrospectionResponseFormat format = this.responseFormat;
		return format != null && format.readMayBlock(contentType);
	}

	/**
	 * Sets how answers are asked for and read; {@code null} for RFC 7662's plain JSON.
	 * @param responseFormat the format, or {@code null}
	 */
	public void setResponseFormat(@Nullable IntrospectionResponseFormat responseFormat) {
		this.responseFormat = responseFormat;
	}

	/**
	 * Sorts a failure to send the request or read the answer: connection failures are
	 * worth a retry, timeouts and TLS failures are not.
	 * @param request the request that failed
	 * @param ex the failure of the HTTP client
	 * @param elapsed how long the request ran before it failed, for the message
	 * @return the server fault to throw, its message saying what happened in words
	 */
	public static AuthorizationServerUnavailableException requestFailed(Request request, Throwable ex,
			Duration elapsed) {
		return IntrospectionFailures.requestFailed(request.endpoint(), ex, elapsed);
	}

	/**
	 * Sets the largest introspection response accepted; a larger one is a server fault.
	 * @param maxResponseSize the limit, 64 KiB unless set
	 */
	public void setMaxResponseSize(DataSize maxResponseSize) {
		Assert.isTrue(
				maxResponseSize != null && maxResponseSize.toBytes() > 0
						&& maxResponseSize.toBytes() < Integer.MAX_VALUE,
				"maxResponseSize must be between 1 byte and 2 GB");
		this.maxResponseBytes = (int) maxResponseSize.toBytes();
	}

	/**
	 * The server refuses the resource server itself: a configuration fault that every
	 * request would repeat. Said clearly once, until a request succeeds again.
	 */
	private void reportRejectedCredentials(int status) {
		if (this.rejectedCredentialsReported.compareAndSet(false, true)) {
			logger.error("The introspection endpoint rejected this resource server's client authentication (HTTP "
					+ status + "); check the client id, its secret or key, and "
					+ "token-introspection.client-authentication-method. Requests get 503 until this is fixed.");
		}
	}

	/**
	 * An introspection request ready to send: a form POST to the endpoint. Its
	 * {@code toString} names the headers and form parameters only.
	 *
	 * @param endpoint the introspection endpoint
	 * @param headers headers to send (client authentication)
	 * @param form the form parameters; its {@code toString} names the parameters only
	 */
	public record Request(URI endpoint, HttpHeaders headers, MultiValueMap<String, String> form) {

		// The headers carry the client secret (Basic) or a bearer token, the form the
		// token.
		@Override
		public String toString() {
			return "introspection request to " + this.endpoint + " with headers " + this.headers.headerNames()
					+ " and form " + this.form.keySet() + " (values not shown)";
		}

	}

}
