package io.github.tokenintrospection.web;

import java.io.IOException;
import java.time.Duration;
import java.util.function.Supplier;

import io.github.tokenintrospection.internal.web.ServiceUnavailableAnswer;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionException;
import org.springframework.util.Assert;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Turns a failure to introspect (the authorization server is down, slow or answers
 * nonsense) into HTTP 503 with a short JSON body, instead of the 500 that Spring
 * Security's resource server produces.
 * <p>
 * Spring Security rethrows such failures out of its filter chain as an
 * {@code AuthenticationServiceException} caused by an
 * {@link OAuth2IntrospectionException}; this filter sits in front of the whole chain, so
 * it works for Spring Boot's default chain and for an application's own chains alike,
 * with no change to them.
 * <p>
 * Every 503 carries {@code Retry-After} in whole seconds: the wait the authorization
 * server asked for (a 429's or 503's own header), the time left while the circuit breaker
 * is open, or else the configured default.
 */
public final class AuthorizationServerUnavailableFilter extends OncePerRequestFilter {

	private static final Log logger = LogFactory.getLog(AuthorizationServerUnavailableFilter.class);

	static final String BODY = ServiceUnavailableAnswer.BODY;

	/** {@code Retry-After} when nothing better is known. */
	public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(5);

	private final ServiceUnavailableAnswer answer;

	/**
	 * Creates a filter that answers {@code Retry-After: 5} unless a better value is
	 * known.
	 */
	public AuthorizationServerUnavailableFilter() {
		this(DEFAULT_RETRY_AFTER);
	}

	/**
	 * Creates a filter.
	 * @param defaultRetryAfter the {@code Retry-After} to send when neither the
	 * authorization server nor the circuit breaker gave one
	 */
	public AuthorizationServerUnavailableFilter(Duration defaultRetryAfter) {
		Assert.isTrue(defaultRetryAfter != null && !defaultRetryAfter.isNegative() && !defaultRetryAfter.isZero(),
				"defaultRetryAfter must be positive");
		this.answer = new ServiceUnavailableAnswer(() -> defaultRetryAfter);
	}

	/**
	 * Creates a filter that looks the default {@code Retry-After} up when it first needs
	 * it. Servlet filters are created with the web server, before the rest of the
	 * application: looking configuration up later lets every property source take part.
	 * @param defaultRetryAfter supplies the {@code Retry-After} to send when neither the
	 * authorization server nor the circuit breaker gave one
	 */
	public AuthorizationServerUnavailableFilter(Supplier<Duration> defaultRetryAfter) {
		Assert.notNull(defaultRetryAfter, "defaultRetryAfter must not be null");
		this.answer = new ServiceUnavailableAnswer(defaultRetryAfter);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		try {
			chain.doFilter(request, response);
		}
		catch (RuntimeException | ServletException | IOException ex) {
			OAuth2IntrospectionException failure = ServiceUnavailableAnswer.introspectionFailure(ex);
			if (failure == null || response.isCommitted()) {
				throw ex;
			}
			ServiceUnavailableAnswer.log(logger, failure);
			response.resetBuffer();
			response.setStatus(HttpStatus.SERVICE_UNAVAILABLE.value());
			response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(this.answer.retryAfterSeconds(failure)));
			response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
			response.setContentType(ServiceUnavailableAnswer.CONTENT_TYPE);
			writeBody(response);
		}
	}

	/**
	 * Writes bytes, so that the container adds no {@code charset} parameter to the
	 * content type (it does once a Writer is used); through the Writer only when the
	 * application took it before failing. The body is ASCII, right in any charset.
	 */
	private static void writeBody(HttpServletResponse response) throws IOException {
		try {
			response.getOutputStream().write(ServiceUnavailableAnswer.bodyBytes());
		}
		catch (IllegalStateException writerAlreadyUsed) {
			response.getWriter().write(BODY);
		}
	}

}
