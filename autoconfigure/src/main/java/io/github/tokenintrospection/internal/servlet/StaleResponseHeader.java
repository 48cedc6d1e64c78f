package io.github.tokenintrospection.internal.servlet;

import java.time.Duration;

import io.github.tokenintrospection.IntrospectedToken;
import io.github.tokenintrospection.cache.StaleResultListener;
import io.github.tokenintrospection.internal.web.StaleResponseMarks;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionException;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Marks a response whose token was accepted on a stale introspection result: sets the
 * {@value #HEADER} header to the result's age in seconds, and the {@link #ATTRIBUTE}
 * request attribute to the age as a {@link Duration}, for access logs and the
 * application.
 * <p>
 * Finds the current request through {@link RequestContextHolder}, which Spring Boot's
 * request context filter fills before Spring Security's filter chain runs.
 */
public final class StaleResponseHeader implements StaleResultListener {

	/** Response header set on a stale result. */
	public static final String HEADER = StaleResponseMarks.HEADER;

	/** Request attribute set on a stale result. */
	public static final String ATTRIBUTE = StaleResponseMarks.ATTRIBUTE;

	@Override
	public void staleResultUsed(IntrospectedToken token, Duration age, OAuth2IntrospectionException failure) {
		if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes) {
			attributes.getRequest().setAttribute(ATTRIBUTE, age);
			HttpServletResponse response = attributes.getResponse();
			if (response != null && !response.isCommitted()) {
				response.setHeader(HEADER, Long.toString(Math.max(0, age.toSeconds())));
			}
		}
	}

}
